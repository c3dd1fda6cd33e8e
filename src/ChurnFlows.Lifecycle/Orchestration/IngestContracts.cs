namespace ChurnFlows.Lifecycle.Orchestration;

/// <summary>Input of <see cref="IngestOrchestrator"/>.</summary>
/// <param name="BlobName">The blob in <c>churn-incoming</c>.</param>
/// <param name="StartRetrain">Whether accepted new data starts a retrain.</param>
public sealed record IngestRequest(string BlobName, bool StartRetrain = true);

/// <summary>What ingestion did.</summary>
/// <param name="Sha256">The content hash (dataset version).</param>
/// <param name="AlreadyRecorded">Whether the same bytes had been ingested before.</param>
/// <param name="Accepted">Whether validation passed.</param>
/// <param name="DatasetBlob">The silver or quarantined copy.</param>
/// <param name="ReportBlob">The validation report.</param>
/// <param name="Rows">Rows read.</param>
/// <param name="Failures">The failed expectations, in words.</param>
/// <param name="Retrain">The retrain it started or why none started (null when not asked).</param>
public sealed record IngestOutcome(string Sha256, bool AlreadyRecorded, bool Accepted, string DatasetBlob, string ReportBlob, int Rows, IReadOnlyList<string> Failures, StartRetrainResult? Retrain = null);

/// <summary>A request to start the singleton retrain.</summary>
/// <param name="Reason">Why (timer, drift, new data, HTTP).</param>
/// <param name="DatasetSha256">The dataset to train on; null for the newest accepted one.</param>
/// <param name="RequireApproval">Overrides the configured approval requirement when set.</param>
public sealed record StartRetrainRequest(string Reason, string? DatasetSha256 = null, bool? RequireApproval = null);

/// <summary>Whether a retrain started.</summary>
/// <param name="Started">True when a new run started; false when one was already running.</param>
/// <param name="RunId">The new run, or the one already running.</param>
/// <param name="Message">What happened, in words.</param>
public sealed record StartRetrainResult(bool Started, string? RunId, string Message);
