using ChurnFlows.Durable;
using ChurnFlows.Lifecycle.Activities;

namespace ChurnFlows.Lifecycle.Orchestration;

/// <summary>
/// Runs a tuning study as waves of parallel trials: each wave asks the TPE sampler for a batch (an
/// activity reading the study table, so replay stays deterministic), fans the trials out as activities
/// and fans their results back in. Stops on the trial budget, the time limit or a plateau.
/// </summary>
public sealed class TuneOrchestrator : TaskOrchestrator<TuneRequest, TuneOutcome>
{
    /// <inheritdoc />
    public override async Task<TuneOutcome> RunAsync(TaskOrchestrationContext context, TuneRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var settings = input.Settings;
        var deadline = context.CurrentUtcDateTime.AddMinutes(settings.MaxTuningMinutes);
        var (best, bestValue, asked, completed, pruned, failed, wave, flatWaves) = (-1, double.NegativeInfinity, 0, 0, 0, 0, 0, 0);
        var stop = "budget";
        while (asked < settings.Trials)
        {
            var count = Math.Min(Math.Max(1, settings.BatchSize), settings.Trials - asked);
            var numbers = await context.CallActivityAsync<int[]>(nameof(SuggestTrialsActivity), new SuggestTrialsRequest(input.Study, wave, count, settings.Seed), RunRecorder.Retry);
            var results = await Task.WhenAll(numbers.Select(n => context.CallActivityAsync<TrialOutcome>(nameof(RunTrialActivity), new TrialAssignment(input.Study, n, wave, input.Gold, settings), RunRecorder.Retry)));
            asked += numbers.Length;
            var previousBest = bestValue;
            foreach (var r in results.OrderBy(r => r.Number))
            {
                switch (r.State)
                {
                    case "Complete":
                        completed++;
                        if (r.Value is { } value && value > bestValue)
                        {
                            (best, bestValue) = (r.Number, value);
                        }

                        break;
                    case "Pruned":
                        pruned++;
                        break;
                    default:
                        failed++;
                        break;
                }
            }

            wave++;
            flatWaves = bestValue > previousBest + settings.PlateauTolerance ? 0 : flatWaves + 1;
            context.SetCustomStatus(new TuneOutcome(input.Study, best, bestValue, completed, pruned, failed, wave, "running"));
            if (settings.PlateauWaves > 0 && flatWaves >= settings.PlateauWaves && completed >= 10)
            {
                stop = $"plateau: no improvement in {flatWaves} waves";
                break;
            }

            if (context.CurrentUtcDateTime >= deadline && asked < settings.Trials)
            {
                stop = $"time limit of {settings.MaxTuningMinutes:0.#} minutes";
                break;
            }
        }

        if (best < 0)
        {
            throw new InvalidOperationException($"Study {input.Study} finished {asked} trials and none completed ({pruned} pruned, {failed} failed); there is no model to train.");
        }

        return new TuneOutcome(input.Study, best, bestValue, completed, pruned, failed, wave, stop);
    }
}
