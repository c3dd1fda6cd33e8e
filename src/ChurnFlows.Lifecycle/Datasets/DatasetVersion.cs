namespace ChurnFlows.Lifecycle.Datasets;

/// <summary>One ingested dataset version: what arrived, what validation said, where it is kept.</summary>
/// <param name="Sha256">The content hash; the version's identity.</param>
/// <param name="SourceBlob">The incoming blob it came from (the first one, when the same bytes arrived twice).</param>
/// <param name="Accepted">Whether it passed validation.</param>
/// <param name="DatasetBlob">The silver (accepted) or quarantined copy, as container/name.</param>
/// <param name="ReportBlob">The validation report, as container/name.</param>
/// <param name="Rows">Rows read.</param>
/// <param name="PositiveRate">Share of churned customers.</param>
/// <param name="IngestedAt">When it was first recorded.</param>
public sealed record DatasetVersion(string Sha256, string SourceBlob, bool Accepted, string DatasetBlob, string ReportBlob, int Rows, double PositiveRate, DateTimeOffset IngestedAt);
