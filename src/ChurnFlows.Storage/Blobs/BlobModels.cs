using Azure;

namespace ChurnFlows.Storage.Blobs;

/// <summary>Conditions a blob operation must meet; unmet conditions fail with 412 (or 409 for create-only uploads).</summary>
public sealed record BlobRequestConditions
{
    /// <summary>Gets conditions that make an upload create-only (<c>If-None-Match: *</c>).</summary>
    public static BlobRequestConditions CreateOnly { get; } = new() { IfNoneMatch = ETag.All };

    /// <summary>Gets the ETag the blob must have (optimistic concurrency).</summary>
    public ETag? IfMatch { get; init; }

    /// <summary>Gets the ETag the blob must not have; <see cref="ETag.All"/> means "must not exist".</summary>
    public ETag? IfNoneMatch { get; init; }

    /// <summary>Gets the lease id to present when the blob is leased.</summary>
    public string? LeaseId { get; init; }
}

/// <summary>Options for <see cref="BlobClient.UploadAsync(BinaryData, BlobUploadOptions?, CancellationToken)"/>.</summary>
public sealed record BlobUploadOptions
{
    /// <summary>Gets the content type; defaults to <c>application/octet-stream</c>.</summary>
    public string? ContentType { get; init; }

    /// <summary>Gets user metadata (names must be valid C# identifiers, values ASCII).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Gets the write conditions.</summary>
    public BlobRequestConditions? Conditions { get; init; }
}

/// <summary>What a write returned.</summary>
/// <param name="ETag">The blob's new ETag.</param>
/// <param name="LastModified">When the blob was last modified.</param>
public sealed record BlobContentInfo(ETag ETag, DateTimeOffset LastModified);

/// <summary>A blob's system properties and metadata.</summary>
public sealed record BlobProperties
{
    /// <summary>Gets the ETag.</summary>
    public ETag ETag { get; init; }

    /// <summary>Gets the last-modified time.</summary>
    public DateTimeOffset LastModified { get; init; }

    /// <summary>Gets the size in bytes.</summary>
    public long ContentLength { get; init; }

    /// <summary>Gets the content type.</summary>
    public string? ContentType { get; init; }

    /// <summary>Gets the blob type (<c>BlockBlob</c>, <c>AppendBlob</c>, <c>PageBlob</c>).</summary>
    public string? BlobType { get; init; }

    /// <summary>Gets the lease state (<c>available</c>, <c>leased</c>, <c>expired</c>, <c>breaking</c>, <c>broken</c>).</summary>
    public string? LeaseState { get; init; }

    /// <summary>Gets the copy status after a server-side copy (<c>pending</c>, <c>success</c>, <c>aborted</c>, <c>failed</c>).</summary>
    public string? CopyStatus { get; init; }

    /// <summary>Gets the user metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}

/// <summary>A downloaded blob: its bytes and properties.</summary>
/// <param name="Content">The content.</param>
/// <param name="Properties">The properties at the time of the download.</param>
public sealed record BlobDownloadResult(BinaryData Content, BlobProperties Properties);

/// <summary>A piece of a blob (<see cref="BlobClient.DownloadRangeAsync"/>).</summary>
/// <param name="Content">The bytes of the piece (shorter than asked for at the blob's end).</param>
/// <param name="Offset">Where the piece starts in the blob.</param>
/// <param name="BlobLength">The whole blob's length when the piece was read.</param>
public sealed record BlobRange(BinaryData Content, long Offset, long BlobLength);

/// <summary>One entry of a blob listing.</summary>
/// <param name="Name">The blob name.</param>
/// <param name="Properties">Its properties (metadata included).</param>
public sealed record BlobItem(string Name, BlobProperties Properties);

/// <summary>One page of a blob listing.</summary>
/// <param name="Items">The blobs on this page.</param>
/// <param name="ContinuationToken">The marker for the next page, or null on the last page.</param>
public sealed record BlobPage(IReadOnlyList<BlobItem> Items, string? ContinuationToken);
