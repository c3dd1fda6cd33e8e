using Azure.Data.Tables;

namespace ChurnFlows.Functions.Hosting.Standalone;

/// <summary>What happened to one blob version for one function.</summary>
public enum BlobReceiptStatus
{
    /// <summary>The handler failed; the next poll tries again.</summary>
    Failed,

    /// <summary>The handler succeeded; the blob version is never processed again.</summary>
    Succeeded,

    /// <summary>The handler failed too often; the blob version is given up.</summary>
    Poisoned,
}

/// <summary>
/// Receipts of the standalone blob trigger in table <c>ChurnBlobReceipts</c>: one row per function
/// (partition) and blob name + ETag (row key: their SHA-256), so a blob version is processed once across restarts and a
/// rewritten blob (new ETag) is processed again.
/// </summary>
public sealed class BlobReceiptStore(TableClient table)
{
    /// <summary>The table name.</summary>
    public const string TableName = "ChurnBlobReceipts";

    /// <summary>Creates the table if missing.</summary>
    public Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default) => table.CreateIfNotExistsAsync(cancellationToken);

    /// <summary>Reads the receipt of a blob version: its status and attempts so far, or null when never tried.</summary>
    public async Task<(BlobReceiptStatus Status, int Attempts)?> GetAsync(string function, string blobName, string etag, CancellationToken cancellationToken = default)
    {
        var found = await table.GetEntityIfExistsAsync<TableEntity>(Partition(function), Row(blobName, etag), cancellationToken: cancellationToken).ConfigureAwait(false);
        return found.HasValue && found.Value is { } entity ? (Enum.Parse<BlobReceiptStatus>(entity.GetString("Status") ?? nameof(BlobReceiptStatus.Failed)), entity.GetInt32("Attempts") ?? 0) : null;
    }

    /// <summary>Records the outcome of an attempt.</summary>
    public Task RecordAsync(string function, string blobName, string etag, BlobReceiptStatus status, int attempts, string? error, CancellationToken cancellationToken = default)
    {
        var entity = new TableEntity(Partition(function), Row(blobName, etag))
        {
            ["BlobName"] = blobName,
            ["BlobETag"] = etag,
            ["Status"] = status.ToString(),
            ["Attempts"] = attempts,
            ["Error"] = error,
            ["RecordedAt"] = DateTimeOffset.UtcNow,
        };
        return table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    // Function names are identifiers, valid as keys; a blob name may hold characters keys may not ('/', '#', '?'), so
    // the row key is the hash of name and ETag (both are kept as properties).
    private static string Partition(string function) => function;

    private static string Row(string blobName, string etag) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(blobName + "|" + etag.Trim('"'))));
}
