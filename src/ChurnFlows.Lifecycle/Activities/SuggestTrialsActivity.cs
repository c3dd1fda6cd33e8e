using ChurnFlows.Durable;
using ChurnFlows.Lifecycle.Orchestration;
using ChurnFlows.Tuning.Objectives;
using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Lifecycle.Activities;

/// <summary>
/// Asks the TPE sampler for a wave of trials over the GBDT search space, with the trials still running
/// treated by the constant liar, and stores them in <c>ChurnTrials</c>. A wave is asked once: when the
/// activity runs again (at-least-once delivery) it returns the trials stored the first time.
/// </summary>
public sealed class SuggestTrialsActivity(LifecycleServices services) : TaskActivity<SuggestTrialsRequest, int[]>
{
    /// <inheritdoc />
    public override async Task<int[]> RunAsync(TaskActivityContext context, SuggestTrialsRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        for (var attempt = 0; ; attempt++)
        {
            var (state, waves) = await services.Trials.LoadAsync(input.Study, StudyDirection.Maximize, input.Seed, context.CancellationToken).ConfigureAwait(false);
            var existing = waves.Where(w => w.Value == input.Wave).Select(w => w.Key).Order().ToArray();
            if (existing.Length > 0)
            {
                return existing;
            }

            var study = new Study(state);
            var asked = study.AskBatch(input.Count, GbdtObjective.DefaultSearchSpace);
            var frozen = asked.Select(t => state.Trials[t.Number]).ToList();
            if (await services.Trials.AddAsync(input.Study, frozen, input.Wave, context.CancellationToken).ConfigureAwait(false) || attempt > 3)
            {
                return [.. frozen.Select(t => t.Number)];
            }
        }
    }
}
