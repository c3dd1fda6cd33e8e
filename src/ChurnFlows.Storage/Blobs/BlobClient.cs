using System.Globalization;
using Azure;
using Azure.Core;
using ChurnFlows.Storage.Pipeline;

namespace ChurnFlows.Storage.Blobs;

/// <summary>
/// One blob: block-blob upload and download, properties and metadata, delete, server-side copy,
/// append blobs and leases. Immutable and thread-safe.
/// </summary>
public sealed partial class BlobClient
{
    private readonly StorageService _service;
    private readonly string _path;

    internal BlobClient(StorageService service, string container, string name)
    {
        _service = service;
        BlobContainerName = container;
        Name = name;
        _path = container + "/" + BlobHeaders.EscapePath(name);
    }

    /// <summary>Gets the container name.</summary>
    public string BlobContainerName { get; }

    /// <summary>Gets the blob name.</summary>
    public string Name { get; }

    /// <summary>Gets the blob's URI.</summary>
    public Uri Uri => new(_service.Endpoint.AbsoluteUri.TrimEnd('/') + "/" + _path);

    /// <summary>
    /// Uploads <paramref name="content"/> as a block blob, replacing any existing blob unless the
    /// conditions say otherwise. Create-only (<see cref="BlobRequestConditions.CreateOnly"/>) fails
    /// with 409 <c>BlobAlreadyExists</c>; an ETag mismatch fails with 412 <c>ConditionNotMet</c>.
    /// </summary>
    public async Task<BlobContentInfo> UploadAsync(BinaryData content, BlobUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var message = _service.CreateMessage(RequestMethod.Put, _path);
        var request = message.Request;
        request.Headers.SetValue("x-ms-blob-type", "BlockBlob");
        request.Headers.SetValue("Content-Type", options?.ContentType ?? "application/octet-stream");
        BlobHeaders.ApplyMetadata(request, options?.Metadata);
        BlobHeaders.Apply(request, options?.Conditions);
        request.Content = RequestContent.Create(content);
        var response = await _service.SendAsync(message, cancellationToken, 201).ConfigureAwait(false);
        return BlobHeaders.ReadContentInfo(response);
    }

    /// <summary>Uploads a stream as a block blob (read to the end; blobs here are at most a few hundred MB).</summary>
    public async Task<BlobContentInfo> UploadAsync(Stream content, BlobUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return await UploadAsync(await BinaryData.FromStreamAsync(content, cancellationToken).ConfigureAwait(false), options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Downloads the blob's content and properties. A missing blob fails with 404 <c>BlobNotFound</c>.</summary>
    public async Task<BlobDownloadResult> DownloadContentAsync(BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = _service.CreateMessage(RequestMethod.Get, _path);
        BlobHeaders.Apply(message.Request, conditions);
        var response = await _service.SendAsync(message, cancellationToken, 200).ConfigureAwait(false);
        return new BlobDownloadResult(response.Content, BlobHeaders.ReadProperties(response));
    }

    /// <summary>
    /// Downloads at most <paramref name="length"/> bytes starting at <paramref name="offset"/> (one ranged GET),
    /// with the blob's whole length, so large blobs can be read piece by piece. A range that starts at or past
    /// the end is refused by Azure (416 <c>InvalidRange</c>), so callers read within <see cref="BlobRange.BlobLength"/>;
    /// a missing blob fails with 404 <c>BlobNotFound</c>.
    /// </summary>
    public async Task<BlobRange> DownloadRangeAsync(long offset, int length, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        using var message = _service.CreateMessage(RequestMethod.Get, _path);
        message.Request.Headers.SetValue("x-ms-range", string.Create(CultureInfo.InvariantCulture, $"bytes={offset}-{offset + length - 1}"));
        var response = await _service.SendAsync(message, cancellationToken, 206).ConfigureAwait(false);
        return new BlobRange(response.Content, offset, BlobHeaders.ReadRangeTotal(response));
    }

    /// <summary>Downloads the blob into <paramref name="destination"/>.</summary>
    public async Task<BlobProperties> DownloadToAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var result = await DownloadContentAsync(null, cancellationToken).ConfigureAwait(false);
        await result.Content.ToStream().CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
        return result.Properties;
    }

    /// <summary>Gets the blob's properties and metadata. A missing blob fails with 404.</summary>
    public async Task<BlobProperties> GetPropertiesAsync(BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = _service.CreateMessage(RequestMethod.Head, _path);
        BlobHeaders.Apply(message.Request, conditions);
        var response = await _service.SendAsync(message, cancellationToken, 200).ConfigureAwait(false);
        return BlobHeaders.ReadProperties(response);
    }

    /// <summary>Returns whether the blob exists.</summary>
    public async Task<bool> ExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = _service.CreateMessage(RequestMethod.Head, _path);
        var response = await _service.SendAsync(message, cancellationToken, 200, 404).ConfigureAwait(false);
        return response.Status == 200;
    }

    /// <summary>Replaces the blob's user metadata.</summary>
    public async Task<BlobContentInfo> SetMetadataAsync(IReadOnlyDictionary<string, string> metadata, BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        using var message = _service.CreateMessage(RequestMethod.Put, _path);
        message.Request.Uri.AppendQuery("comp", "metadata");
        BlobHeaders.ApplyMetadata(message.Request, metadata);
        BlobHeaders.Apply(message.Request, conditions);
        var response = await _service.SendAsync(message, cancellationToken, 200).ConfigureAwait(false);
        return BlobHeaders.ReadContentInfo(response);
    }

    /// <summary>Deletes the blob. Returns false when it did not exist; unmet conditions fail with 412.</summary>
    public async Task<bool> DeleteIfExistsAsync(BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = _service.CreateMessage(RequestMethod.Delete, _path);
        BlobHeaders.Apply(message.Request, conditions);
        var response = await _service.SendAsync(message, cancellationToken, 202, 404).ConfigureAwait(false);
        return response.Status == 202;
    }

    /// <summary>
    /// Copies <paramref name="source"/> (a blob of the same account) onto this blob on the server
    /// and waits until the copy has finished. Fails if the copy ends in any state but success.
    /// </summary>
    public async Task<BlobProperties> CopyFromAsync(BlobClient source, BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        using (var message = _service.CreateMessage(RequestMethod.Put, _path))
        {
            message.Request.Headers.SetValue("x-ms-copy-source", source.Uri.AbsoluteUri);
            BlobHeaders.Apply(message.Request, conditions);
            await _service.SendAsync(message, cancellationToken, 202).ConfigureAwait(false);
        }

        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            var properties = await GetPropertiesAsync(null, cancellationToken).ConfigureAwait(false);
            switch (properties.CopyStatus)
            {
                case null or "success":
                    return properties;
                case "pending":
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
                    break;
                default:
                    throw new RequestFailedException(409, $"Copy of '{source.Name}' to '{Name}' ended with status '{properties.CopyStatus}'.", "CopyFailed", null);
            }
        }
    }

    /// <summary>Gets a lease client for this blob; <paramref name="leaseId"/> defaults to a new GUID.</summary>
    public BlobLeaseClient GetBlobLeaseClient(string? leaseId = null) =>
        new(_service, _path, leaseId ?? Guid.NewGuid().ToString());
}
