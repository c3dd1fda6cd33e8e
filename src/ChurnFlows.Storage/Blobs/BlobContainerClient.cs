using System.Globalization;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using ChurnFlows.Storage.Pipeline;

namespace ChurnFlows.Storage.Blobs;

/// <summary>One blob container. Immutable and thread-safe.</summary>
public sealed class BlobContainerClient
{
    private readonly StorageService _service;

    internal BlobContainerClient(StorageService service, string name)
    {
        _service = service;
        Name = name;
    }

    /// <summary>Gets the container name.</summary>
    public string Name { get; }

    /// <summary>Gets a client for one blob (no request is made). Names may contain '/', Unicode and reserved characters.</summary>
    public BlobClient GetBlobClient(string blobName)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        if (blobName.Length > 1024)
        {
            throw new ArgumentException($"Blob name is {blobName.Length} characters; the limit is 1024.", nameof(blobName));
        }

        return new BlobClient(_service, Name, blobName);
    }

    /// <summary>Creates the container unless it exists. Returns true when it was created.</summary>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = _service.CreateMessage(RequestMethod.Put, Name);
        message.Request.Uri.AppendQuery("restype", "container");
        var response = await _service.SendAsync(message, cancellationToken, 201, 409).ConfigureAwait(false);
        return response.Status == 201;
    }

    /// <summary>Returns whether the container exists.</summary>
    public async Task<bool> ExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = _service.CreateMessage(RequestMethod.Head, Name);
        message.Request.Uri.AppendQuery("restype", "container");
        var response = await _service.SendAsync(message, cancellationToken, 200, 404).ConfigureAwait(false);
        return response.Status == 200;
    }

    /// <summary>Deletes the container and its blobs. Returns false when it did not exist.</summary>
    public async Task<bool> DeleteIfExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = _service.CreateMessage(RequestMethod.Delete, Name);
        message.Request.Uri.AppendQuery("restype", "container");
        var response = await _service.SendAsync(message, cancellationToken, 202, 404).ConfigureAwait(false);
        return response.Status == 202;
    }

    /// <summary>Lists the blobs whose names start with <paramref name="prefix"/>, following every page.</summary>
    public async IAsyncEnumerable<BlobItem> GetBlobsAsync(string? prefix = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? marker = null;
        do
        {
            var page = await GetBlobsPageAsync(prefix, marker, null, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                yield return item;
            }

            marker = page.ContinuationToken;
        }
        while (marker is not null);
    }

    /// <summary>Lists one page of blobs (at most <paramref name="pageSize"/>, service maximum 5000), with metadata.</summary>
    public async Task<BlobPage> GetBlobsPageAsync(string? prefix, string? continuationToken, int? pageSize = null, CancellationToken cancellationToken = default)
    {
        using var message = _service.CreateMessage(RequestMethod.Get, Name);
        var uri = message.Request.Uri;
        uri.AppendQuery("restype", "container");
        uri.AppendQuery("comp", "list");
        uri.AppendQuery("include", "metadata");
        if (!string.IsNullOrEmpty(prefix))
        {
            uri.AppendQuery("prefix", prefix);
        }

        if (!string.IsNullOrEmpty(continuationToken))
        {
            uri.AppendQuery("marker", continuationToken);
        }

        if (pageSize is { } size)
        {
            uri.AppendQuery("maxresults", size.ToString(CultureInfo.InvariantCulture));
        }

        var response = await _service.SendAsync(message, cancellationToken, 200).ConfigureAwait(false);
        var root = XDocument.Parse(response.Content.ToString()).Root!;
        var items = root.Element("Blobs")?.Elements("Blob").Select(ReadItem).ToList() ?? [];
        var next = root.Element("NextMarker")?.Value;
        return new BlobPage(items, string.IsNullOrEmpty(next) ? null : next);
    }

    private static BlobItem ReadItem(XElement blob)
    {
        var p = blob.Element("Properties");
        string? Value(string name) => p?.Element(name)?.Value;
        var metadata = blob.Element("Metadata")?.Elements().ToDictionary(e => e.Name.LocalName, e => e.Value, StringComparer.OrdinalIgnoreCase)
            ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        return new BlobItem(blob.Element("Name")!.Value, new BlobProperties
        {
            ETag = Value("Etag") is { } etag ? new ETag(etag) : default,
            LastModified = DateTimeOffset.TryParse(Value("Last-Modified"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var lm) ? lm : default,
            ContentLength = long.TryParse(Value("Content-Length"), CultureInfo.InvariantCulture, out var n) ? n : 0,
            ContentType = Value("Content-Type"),
            BlobType = Value("BlobType"),
            LeaseState = Value("LeaseState"),
            Metadata = metadata,
        });
    }
}
