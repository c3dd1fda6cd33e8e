using ChurnFlows.Durable;
using ChurnFlows.Lifecycle.Activities;

namespace ChurnFlows.Lifecycle.Orchestration;

/// <summary>
/// Ingests a CSV dropped into <c>churn-incoming</c>: bronze copy by content hash, validation, silver or
/// quarantine with the report, dataset version, then (for accepted data, when asked) a retrain.
/// </summary>
public sealed class IngestOrchestrator : TaskOrchestrator<IngestRequest, IngestOutcome>
{
    /// <inheritdoc />
    public override async Task<IngestOutcome> RunAsync(TaskOrchestrationContext context, IngestRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var run = new RunRecorder(context, context.InstanceId, "ingest");
        await run.RecordAsync("started", "running", $"ingesting churn-incoming/{input.BlobName}");
        var outcome = await context.CallActivityAsync<IngestOutcome>(nameof(IngestDatasetActivity), input, RunRecorder.Retry);
        var what = $"{outcome.Rows:N0} rows, dataset {outcome.Sha256[..12]}{(outcome.AlreadyRecorded ? " (same bytes seen before)" : string.Empty)}";
        if (!outcome.Accepted)
        {
            await run.RecordAsync("quarantined", "rejected", $"{what} failed validation → {outcome.DatasetBlob}, report {outcome.ReportBlob}: {string.Join("; ", outcome.Failures)}");
            return outcome;
        }

        await run.RecordAsync("validated", "running", $"{what} passed validation → {outcome.DatasetBlob}");
        if (!input.StartRetrain)
        {
            await run.RecordAsync("completed", "completed", "retraining not requested");
            return outcome;
        }

        var retrain = await context.CallActivityAsync<StartRetrainResult>(nameof(StartRetrainActivity), new StartRetrainRequest($"new data: dataset {outcome.Sha256[..12]} from {input.BlobName}", outcome.Sha256), RunRecorder.Retry);
        await run.RecordAsync("completed", "completed", retrain.Message);
        return outcome with { Retrain = retrain };
    }
}
