using System.IO.Compression;
using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace ChurnFlows.Durable.AzureStorage;

/// <summary>
/// Payloads too large for a queue message or table property, stored gzip-compressed in
/// <c>&lt;hub&gt;-largemessages</c> under the instance's escaped id, so purge finds them by prefix.
/// </summary>
internal sealed class LargePayloadStore(BlobContainerClient container, int threshold)
{
    public BlobContainerClient Container => container;

    /// <summary>Returns whether <paramref name="text"/> is too large for a queue message (UTF-8 bytes over the threshold; base64 adds a third).</summary>
    public bool IsLarge(string? text) => text is not null && (text.Length > threshold / 3) && Encoding.UTF8.GetByteCount(text) > threshold;

    /// <summary>Returns whether <paramref name="text"/> is too large for a table property (64 KiB of UTF-16; 60 KiB keeps a margin).</summary>
    public bool IsLargeForTable(string? text) => text is not null && (text.Length * 2 > 60 * 1024 || IsLarge(text));

    /// <summary>Compresses and uploads <paramref name="text"/>; returns the blob name.</summary>
    public async Task<string> UploadAsync(string instanceId, string kind, string text, CancellationToken cancellationToken)
    {
        var name = $"{TaskHubLayout.EscapeKey(instanceId)}/{kind}-{Guid.NewGuid():N}.json.gz";
        using var buffer = new MemoryStream();
        await using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        }

        await container.GetBlobClient(name).UploadAsync(new BinaryData(buffer.ToArray()), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/gzip" } }, cancellationToken).ConfigureAwait(false);
        return name;
    }

    /// <summary>Downloads and decompresses a payload.</summary>
    public async Task<string> DownloadAsync(string blobName, CancellationToken cancellationToken)
    {
        var result = await container.GetBlobClient(blobName).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        await using var gzip = new GZipStream(result.Value.Content.ToStream(), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes every payload of an instance.</summary>
    public async Task DeleteInstanceAsync(string instanceId, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = TaskHubLayout.EscapeKey(instanceId) + "/" }, cancellationToken).ConfigureAwait(false))
        {
            names.Add(blob.Name);
        }

        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (name, ct) =>
            await container.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: ct).ConfigureAwait(false)).ConfigureAwait(false);
    }
}
