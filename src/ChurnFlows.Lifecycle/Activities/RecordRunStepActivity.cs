using ChurnFlows.Durable;
using ChurnFlows.Lifecycle.Runs;

namespace ChurnFlows.Lifecycle.Activities;

/// <summary>Records a run step in <c>ChurnRuns</c> (an upsert keyed by the step's sequence, so repeats are harmless).</summary>
public sealed class RecordRunStepActivity(LifecycleServices services) : TaskActivity<RunStep, bool>
{
    /// <inheritdoc />
    public override async Task<bool> RunAsync(TaskActivityContext context, RunStep input)
    {
        ArgumentNullException.ThrowIfNull(context);
        await services.Runs.RecordAsync(input, context.CancellationToken).ConfigureAwait(false);
        return true;
    }
}
