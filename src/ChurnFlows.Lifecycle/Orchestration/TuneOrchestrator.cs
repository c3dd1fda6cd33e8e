using ChurnFlows.Durable;
using ChurnFlows.Lifecycle.Activities;
using ChurnFlows.Tuning.Samplers;

namespace ChurnFlows.Lifecycle.Orchestration;

/// <summary>
/// Runs a tuning study with <see cref="RetrainSettings.BatchSize"/> trials in flight: the first wave asks the
/// TPE sampler for that many trials (an activity reading the study table, so replay stays deterministic) and
/// fans them out as activities; as each trial's result fans back in, the next trial is asked for (the
/// constant liar covers those still running) and started, so no core waits for the slowest trial of a wave.
/// Stops asking on the trial budget, the time limit or a plateau (counted once the sampler's random start-up
/// trials have finished), and always collects the trials in flight.
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
        var inFlight = Math.Max(1, settings.BatchSize);
        var plateauTrials = settings.PlateauWaves * inFlight;
        var (best, bestValue, asked, completed, pruned, failed, wave, flatTrials) = (-1, double.NegativeInfinity, 0, 0, 0, 0, 0, 0);
        string? stop = null;
        var running = new List<Task<TrialOutcome>>();

        async Task AskAndStartAsync(int count)
        {
            var numbers = await context.CallActivityAsync<int[]>(nameof(SuggestTrialsActivity), new SuggestTrialsRequest(input.Study, wave, count, settings.Seed), RunRecorder.Retry);
            running.AddRange(numbers.Select(n => context.CallActivityAsync<TrialOutcome>(nameof(RunTrialActivity), new TrialAssignment(input.Study, n, wave, input.Gold, settings), RunRecorder.Retry)));
            asked += numbers.Length;
            wave++;
        }

        await AskAndStartAsync(Math.Min(inFlight, settings.Trials));
        while (running.Count > 0)
        {
            var done = await Task.WhenAny(running);
            running.Remove(done);
            var r = await done;
            var previousBest = bestValue;
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

            flatTrials = bestValue > previousBest + settings.PlateauTolerance ? 0 : flatTrials + 1;
            context.SetCustomStatus(new TuneOutcome(input.Study, best, bestValue, completed, pruned, failed, wave, "running"));
            if (stop is null && plateauTrials > 0 && flatTrials >= plateauTrials && completed > 0 && completed + pruned + failed >= TpeSampler.DefaultStartupTrials)
            {
                stop = $"plateau: no improvement in {flatTrials} trials";
            }

            if (stop is null && context.CurrentUtcDateTime >= deadline && asked < settings.Trials)
            {
                stop = $"time limit of {settings.MaxTuningMinutes:0.#} minutes";
            }

            if (stop is null && asked < settings.Trials)
            {
                await AskAndStartAsync(1);
            }
        }

        if (best < 0)
        {
            throw new InvalidOperationException($"Study {input.Study} finished {asked} trials and none completed ({pruned} pruned, {failed} failed); there is no model to train.");
        }

        return new TuneOutcome(input.Study, best, bestValue, completed, pruned, failed, wave, stop ?? "budget");
    }
}
