using System.Text.Json;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ChurnFlows.Storage.Pipeline;

/// <summary>
/// One service endpoint plus its signed pipeline: builds requests relative to the endpoint, sends
/// them and turns error responses into <see cref="RequestFailedException"/> with status and code.
/// </summary>
internal sealed class StorageService
{
    private static readonly TokenRequestContext Scope = new(["https://storage.azure.com/.default"]);

    public StorageService(Uri endpoint, HttpPipeline pipeline)
    {
        Endpoint = endpoint;
        Pipeline = pipeline;
    }

    public Uri Endpoint { get; }

    public HttpPipeline Pipeline { get; }

    public static HttpPipeline BuildPipeline(StorageClientOptions options, StorageSharedKeyCredential? key, TokenCredential? token, bool table)
    {
        HttpPipelinePolicy? auth = (key, token) switch
        {
            (not null, _) when table => new TableSharedKeyLitePolicy(key),
            (not null, _) => new SharedKeyPolicy(key),
            (null, not null) => new BearerTokenAuthenticationPolicy(token, Scope.Scopes),
            _ => null,
        };
        HttpPipelinePolicy[] perRetry = auth is null
            ? [new StorageHeadersPolicy(options.ServiceVersion)]
            : [new StorageHeadersPolicy(options.ServiceVersion), auth];
        return HttpPipelineBuilder.Build(options, [], perRetry, new ResponseClassifier());
    }

    /// <summary>Creates a message for <paramref name="method"/> on endpoint + <paramref name="path"/> (already escaped).</summary>
    public HttpMessage CreateMessage(RequestMethod method, string path)
    {
        var message = Pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(Endpoint);
        if (path.Length > 0)
        {
            request.Uri.AppendPath(path.StartsWith('/') ? path : "/" + path, escape: false);
        }

        return message;
    }

    /// <summary>Sends the message; throws unless the status is one of <paramref name="expected"/>.</summary>
    public async Task<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken, params int[] expected)
    {
        await Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        if (Array.IndexOf(expected, response.Status) < 0)
        {
            throw Failure(response);
        }

        return response;
    }

    /// <summary>Builds the exception for an error response, reading the code from the header or body.</summary>
    public static RequestFailedException Failure(Response response)
    {
        response.Headers.TryGetValue("x-ms-error-code", out var code);
        var detail = ReadErrorMessage(response, ref code);
        var text = $"Storage request failed: {response.Status} {response.ReasonPhrase}" +
            (code is null ? string.Empty : $" ({code})") + (detail is null ? string.Empty : $": {detail}");
        return new RequestFailedException(response.Status, text, code, null);
    }

    private static string? ReadErrorMessage(Response response, ref string? code)
    {
        var body = response.Content?.ToString();
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            if (body.TrimStart().StartsWith('<'))
            {
                var error = XDocument.Parse(body).Root;
                code ??= error?.Element("Code")?.Value;
                return error?.Element("Message")?.Value?.Split('\n')[0];
            }

            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("odata.error", out var odata))
            {
                code ??= odata.TryGetProperty("code", out var c) ? c.GetString() : null;
                return odata.TryGetProperty("message", out var m) && m.TryGetProperty("value", out var v) ? v.GetString()?.Split('\n')[0] : null;
            }
        }
        catch (Exception e) when (e is JsonException or System.Xml.XmlException)
        {
            return body.Length > 200 ? body[..200] : body;
        }

        return null;
    }
}
