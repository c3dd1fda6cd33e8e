using ChurnFlows.Durable;
using ChurnFlows.Lifecycle.Datasets;
using ChurnFlows.Lifecycle.Orchestration;

namespace ChurnFlows.Lifecycle.Activities;

/// <summary>Copies an incoming CSV to bronze by hash, validates it, keeps it in silver or quarantine, and records the dataset version. Idempotent.</summary>
public sealed class IngestDatasetActivity(LifecycleServices services) : TaskActivity<IngestRequest, IngestOutcome>
{
    /// <inheritdoc />
    public override async Task<IngestOutcome> RunAsync(TaskActivityContext context, IngestRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var result = await services.Ingestion.IngestAsync(input.BlobName, context.CancellationToken).ConfigureAwait(false);
        var version = new DatasetVersion(result.Sha256, input.BlobName, result.Accepted, result.DatasetBlob, result.ReportBlob, result.Rows, result.PositiveRate, services.Time.GetUtcNow());
        var (stored, created) = await services.Datasets.RecordAsync(version, context.CancellationToken).ConfigureAwait(false);
        return new IngestOutcome(stored.Sha256, result.AlreadyRecorded || !created, stored.Accepted, stored.DatasetBlob, stored.ReportBlob, stored.Rows, [.. result.Report.Failures.Select(f => $"{f.Expectation}: observed {f.Observed}, expected {f.Expected}")]);
    }
}
