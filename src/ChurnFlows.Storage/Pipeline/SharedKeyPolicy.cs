using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ChurnFlows.Storage.Pipeline;

/// <summary>Signs blob and queue requests with the SharedKey scheme.</summary>
internal sealed class SharedKeyPolicy(StorageSharedKeyCredential credential) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        var length = request.Content is not null && request.Content.TryComputeLength(out var n) && n > 0 ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty;
        var builder = new StringBuilder(256);
        builder.Append(request.Method.Method).Append('\n');
        Append(builder, request, "Content-Encoding");
        Append(builder, request, "Content-Language");
        builder.Append(length).Append('\n');
        Append(builder, request, "Content-MD5");
        Append(builder, request, "Content-Type");
        builder.Append('\n'); // Date: x-ms-date is always sent instead.
        Append(builder, request, "If-Modified-Since");
        Append(builder, request, "If-Match");
        Append(builder, request, "If-None-Match");
        Append(builder, request, "If-Unmodified-Since");
        Append(builder, request, "Range");
        AppendCanonicalHeaders(builder, request);
        AppendCanonicalResource(builder, credential.AccountName, request.Uri.ToUri());
        var signature = credential.ComputeSignature(builder.ToString());
        request.Headers.SetValue("Authorization", $"SharedKey {credential.AccountName}:{signature}");
    }

    private static void Append(StringBuilder builder, Request request, string header)
    {
        if (request.Headers.TryGetValue(header, out var value))
        {
            builder.Append(value);
        }

        builder.Append('\n');
    }

    private static void AppendCanonicalHeaders(StringBuilder builder, Request request)
    {
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in request.Headers)
        {
            if (header.Name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            {
                headers.Add(new(header.Name.ToLowerInvariant(), header.Value.Trim()));
            }
        }

        headers.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        foreach (var (name, value) in headers)
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }
    }

    private static void AppendCanonicalResource(StringBuilder builder, string account, Uri uri)
    {
        builder.Append('/').Append(account).Append(uri.AbsolutePath);
        var query = QueryParameters.Parse(uri.Query);
        foreach (var (name, values) in query.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            builder.Append('\n').Append(name).Append(':').Append(string.Join(',', values));
        }
    }
}
