using ChurnFlows.Durable;
using ChurnFlows.Lifecycle.Activities;
using ChurnFlows.Lifecycle.Monitoring;

namespace ChurnFlows.Lifecycle.Orchestration;

/// <summary>How a drift check ended.</summary>
/// <param name="Check">What the check found.</param>
/// <param name="Retrain">The retrain it started (or why none did), when a trigger fired.</param>
public sealed record DriftMonitorOutcome(DriftCheck Check, StartRetrainResult? Retrain);

/// <summary>
/// One drift check (started by the monitor's timer): prediction logs against the model's reference,
/// model age, newer data and labelled performance; starts a retrain with the reasons when a trigger fires.
/// </summary>
public sealed class DriftMonitorOrchestrator : TaskOrchestrator<DriftMonitorSettings?, DriftMonitorOutcome>
{
    /// <inheritdoc />
    public override async Task<DriftMonitorOutcome> RunAsync(TaskOrchestrationContext context, DriftMonitorSettings? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var run = new RunRecorder(context, context.InstanceId, "drift");
        await run.RecordAsync("started", "running", "drift check");
        var check = await context.CallActivityAsync<DriftCheck>(nameof(CheckDriftActivity), input, RunRecorder.Retry);
        var summary = check.ModelVersion is null
            ? "no Production model yet"
            : $"{check.ModelVersion}: {check.Predictions} predictions, {check.DriftedFeatures.Count} drifted feature(s), {check.LabelledOutcomes} labelled outcomes";
        if (check.Triggers.Count == 0)
        {
            await run.RecordAsync("completed", "completed", $"{summary}; no trigger fired");
            return new DriftMonitorOutcome(check, null);
        }

        var retrain = await context.CallActivityAsync<StartRetrainResult>(nameof(StartRetrainActivity), new StartRetrainRequest("drift monitor: " + string.Join("; ", check.Triggers)), RunRecorder.Retry);
        await run.RecordAsync("completed", "completed", $"{summary}; triggers: {string.Join("; ", check.Triggers)} → {retrain.Message}");
        return new DriftMonitorOutcome(check, retrain);
    }
}
