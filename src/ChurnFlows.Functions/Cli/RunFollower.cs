using ChurnFlows.Durable.Client;
using ChurnFlows.Lifecycle.Runs;

namespace ChurnFlows.Functions.Cli;

/// <summary>Prints a run's steps from <c>ChurnRuns</c> as they are recorded, until its orchestration ends.</summary>
internal sealed class RunFollower(RunLog runs, Action<string> say)
{
    /// <summary>Follows <paramref name="runId"/> while <paramref name="wait"/> runs; returns what it returned.</summary>
    public async Task<OrchestrationMetadata> FollowAsync(string runId, Func<Task<OrchestrationMetadata>> wait, CancellationToken cancellationToken)
    {
        var printed = 0;
        var done = wait();
        while (true)
        {
            var finished = await Task.WhenAny(done, Task.Delay(500, cancellationToken)).ConfigureAwait(false) == done;
            var steps = await runs.GetStepsAsync(runId, cancellationToken).ConfigureAwait(false);
            foreach (var step in steps.Skip(printed))
            {
                say($"{step.Kind} {step.Step}: {step.Detail}");
            }

            printed = Math.Max(printed, steps.Count);
            if (finished)
            {
                return await done.ConfigureAwait(false);
            }
        }
    }
}
