using ChurnFlows.ML.Validation;

namespace ChurnFlows.Lifecycle.Ingestion;

/// <summary>What ingesting one CSV did.</summary>
/// <param name="Sha256">The content hash (hex) naming the bronze copy.</param>
/// <param name="AlreadyRecorded">Whether the same bytes had been ingested before.</param>
/// <param name="Accepted">Whether the data passed validation (silver) or not (quarantine).</param>
/// <param name="DatasetBlob">The silver blob (accepted) or quarantined blob (rejected).</param>
/// <param name="ReportBlob">The validation report's blob.</param>
/// <param name="Report">The validation report.</param>
/// <param name="Rows">Rows read without error.</param>
/// <param name="PositiveRate">Share of churned customers among them.</param>
public sealed record IngestionResult(string Sha256, bool AlreadyRecorded, bool Accepted, string DatasetBlob, string ReportBlob, ValidationReport Report, int Rows, double PositiveRate);
