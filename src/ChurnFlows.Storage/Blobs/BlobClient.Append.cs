using Azure.Core;

namespace ChurnFlows.Storage.Blobs;

/// <summary>Append-blob operations (prediction logs are append blobs by hour).</summary>
public sealed partial class BlobClient
{
    /// <summary>Creates an empty append blob unless a blob of that name exists. Returns true when created.</summary>
    public async Task<bool> CreateAppendBlobIfNotExistsAsync(string? contentType = null, CancellationToken cancellationToken = default)
    {
        using var message = _service.CreateMessage(RequestMethod.Put, _path);
        message.Request.Headers.SetValue("x-ms-blob-type", "AppendBlob");
        message.Request.Headers.SetValue("If-None-Match", "*");
        message.Request.Headers.SetValue("x-ms-blob-content-type", contentType ?? "application/octet-stream");
        var response = await _service.SendAsync(message, cancellationToken, 201, 409).ConfigureAwait(false);
        return response.Status == 201;
    }

    /// <summary>Appends one block (at most 4 MiB) to an append blob. Returns the blob's new ETag.</summary>
    /// <exception cref="ArgumentException">The block is empty or larger than 4 MiB.</exception>
    public async Task<BlobContentInfo> AppendBlockAsync(BinaryData block, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(block);
        var length = block.ToMemory().Length;
        if (length is 0 or > 4 * 1024 * 1024)
        {
            throw new ArgumentException($"An append block must hold 1 byte to 4 MiB; this one holds {length} bytes.", nameof(block));
        }

        using var message = _service.CreateMessage(RequestMethod.Put, _path);
        message.Request.Uri.AppendQuery("comp", "appendblock");
        message.Request.Content = RequestContent.Create(block);
        var response = await _service.SendAsync(message, cancellationToken, 201).ConfigureAwait(false);
        return BlobHeaders.ReadContentInfo(response);
    }
}
