using System.Globalization;
using Azure;
using Azure.Core;

namespace ChurnFlows.Storage.Blobs;

/// <summary>Maps between blob request conditions, metadata and HTTP headers.</summary>
internal static class BlobHeaders
{
    private const string MetaPrefix = "x-ms-meta-";

    public static void Apply(Request request, BlobRequestConditions? conditions)
    {
        if (conditions is null)
        {
            return;
        }

        if (conditions.IfMatch is { } ifMatch)
        {
            request.Headers.SetValue("If-Match", ifMatch.ToString("H"));
        }

        if (conditions.IfNoneMatch is { } ifNoneMatch)
        {
            request.Headers.SetValue("If-None-Match", ifNoneMatch.ToString("H"));
        }

        if (conditions.LeaseId is { } lease)
        {
            request.Headers.SetValue("x-ms-lease-id", lease);
        }
    }

    public static void ApplyMetadata(Request request, IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        foreach (var (name, value) in metadata)
        {
            request.Headers.SetValue(MetaPrefix + name, value);
        }
    }

    public static BlobContentInfo ReadContentInfo(Response response) =>
        new(response.Headers.ETag ?? default, ReadDate(response, "Last-Modified"));

    public static BlobProperties ReadProperties(Response response)
    {
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in response.Headers)
        {
            if (header.Name.StartsWith(MetaPrefix, StringComparison.OrdinalIgnoreCase))
            {
                metadata[header.Name[MetaPrefix.Length..]] = header.Value;
            }
        }

        response.Headers.TryGetValue("Content-Length", out var length);
        return new BlobProperties
        {
            ETag = response.Headers.ETag ?? default,
            LastModified = ReadDate(response, "Last-Modified"),
            ContentLength = long.TryParse(length, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0,
            ContentType = response.Headers.ContentType,
            BlobType = Header(response, "x-ms-blob-type"),
            LeaseState = Header(response, "x-ms-lease-state"),
            CopyStatus = Header(response, "x-ms-copy-status"),
            Metadata = metadata,
        };
    }

    /// <summary>Reads the blob's whole length from a ranged answer's <c>Content-Range: bytes a-b/total</c>.</summary>
    public static long ReadRangeTotal(Response response)
    {
        var range = Header(response, "Content-Range");
        var slash = range?.LastIndexOf('/') ?? -1;
        return slash >= 0 && long.TryParse(range.AsSpan(slash + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var total)
            ? total
            : throw new InvalidOperationException($"A ranged blob download answered without a usable Content-Range header ('{range}').");
    }

    public static string? Header(Response response, string name) =>
        response.Headers.TryGetValue(name, out var value) ? value : null;

    private static DateTimeOffset ReadDate(Response response, string name) =>
        response.Headers.TryGetValue(name, out var value) && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date
            : default;

    public static string EscapePath(string name) =>
        string.Join('/', name.Split('/').Select(Uri.EscapeDataString));
}
