using Azure;
using Azure.Data.Tables;

namespace ChurnFlows.Lifecycle.Datasets;

/// <summary>
/// Dataset versions in <c>ChurnDatasets</c> (partition <c>dataset</c>, row key the content hash). A
/// version is recorded once: the same bytes arriving again keep the first record.
/// </summary>
public sealed class DatasetCatalog(TableClient table)
{
    private const string Partition = "dataset";

    /// <summary>Records <paramref name="version"/> unless it is already recorded. Returns the stored record and whether it was new.</summary>
    public async Task<(DatasetVersion Version, bool Created)> RecordAsync(DatasetVersion version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        var entity = new TableEntity(Partition, version.Sha256)
        {
            ["SourceBlob"] = version.SourceBlob,
            ["Accepted"] = version.Accepted,
            ["DatasetBlob"] = version.DatasetBlob,
            ["ReportBlob"] = version.ReportBlob,
            ["Rows"] = version.Rows,
            ["PositiveRate"] = version.PositiveRate,
            ["IngestedAt"] = version.IngestedAt,
        };
        try
        {
            await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return (version, true);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return ((await GetAsync(version.Sha256, cancellationToken).ConfigureAwait(false))!, false);
        }
    }

    /// <summary>Reads a version, or null.</summary>
    public async Task<DatasetVersion?> GetAsync(string sha256, CancellationToken cancellationToken = default)
    {
        var e = await table.GetEntityIfExistsAsync<TableEntity>(Partition, sha256, cancellationToken: cancellationToken).ConfigureAwait(false);
        return e.HasValue ? From(e.Value!) : null;
    }

    /// <summary>Lists every version, newest first.</summary>
    public async Task<IReadOnlyList<DatasetVersion>> ListAsync(CancellationToken cancellationToken = default)
    {
        var all = new List<DatasetVersion>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            all.Add(From(e));
        }

        return [.. all.OrderByDescending(v => v.IngestedAt)];
    }

    /// <summary>Returns the newest accepted version, or null when none passed validation yet.</summary>
    public async Task<DatasetVersion?> GetLatestAcceptedAsync(CancellationToken cancellationToken = default) =>
        (await ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(v => v.Accepted);

    private static DatasetVersion From(TableEntity e) => new(
        e.RowKey,
        e.GetString("SourceBlob") ?? string.Empty,
        e.GetBoolean("Accepted") ?? false,
        e.GetString("DatasetBlob") ?? string.Empty,
        e.GetString("ReportBlob") ?? string.Empty,
        e.GetInt32("Rows") ?? 0,
        e.GetDouble("PositiveRate") ?? 0,
        e.GetDateTimeOffset("IngestedAt") ?? e.Timestamp ?? DateTimeOffset.MinValue);
}
