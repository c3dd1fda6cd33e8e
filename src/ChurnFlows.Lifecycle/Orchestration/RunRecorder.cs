using ChurnFlows.Durable;
using ChurnFlows.Lifecycle.Activities;
using ChurnFlows.Lifecycle.Runs;

namespace ChurnFlows.Lifecycle.Orchestration;

/// <summary>
/// Records an orchestration's steps: sets the custom status (what the management API shows) and writes
/// the step to <c>ChurnRuns</c> through an activity. Deterministic: times come from the context.
/// </summary>
internal sealed class RunRecorder(TaskOrchestrationContext context, string runId, string kind)
{
    private readonly DateTime _start = context.CurrentUtcDateTime;
    private int _sequence;

    /// <summary>The retry policy lifecycle activities use for transient storage faults.</summary>
    public static TaskOptions Retry { get; } = TaskOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromSeconds(2), 2));

    public async Task RecordAsync(string step, string status, string detail)
    {
        var now = context.CurrentUtcDateTime;
        context.SetCustomStatus(new RunStatus(runId, step, status, detail));
        await context.CallActivityAsync<bool>(nameof(RecordRunStepActivity), new RunStep(runId, kind, _sequence++, step, status, detail, now, (now - _start).TotalSeconds), Retry);
    }
}

/// <summary>The custom status of lifecycle orchestrations.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Step">The latest step.</param>
/// <param name="Status">The run's status.</param>
/// <param name="Detail">What the step did.</param>
public sealed record RunStatus(string RunId, string Step, string Status, string Detail);
