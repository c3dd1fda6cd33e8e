using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChurnFlows.Functions.Http.Durable;

/// <summary>
/// Builds Durable Functions' check-status answer for an instance. Its URLs point at the base the request
/// came in on: <c>/runtime/webhooks/durabletask</c> when the request used it (standalone), otherwise
/// <c>/api/durabletask</c>, which also works under the Functions host (the host owns <c>/runtime/</c>).
/// Under the host, where requests arrive on 127.0.0.1, the public host comes from <c>X-Forwarded-Host</c>
/// or <c>WEBSITE_HOSTNAME</c>.
/// </summary>
public static class DurableHttpApi
{
    /// <summary>The management API's path below the standalone runtime prefix.</summary>
    public const string RuntimeBase = "/runtime/webhooks/durabletask";

    /// <summary>The management API's path below <c>/api</c>, served in both modes.</summary>
    public const string ApiBase = "/api/durabletask";

    /// <summary>Returns the management URLs of <paramref name="instanceId"/>, relative to <paramref name="request"/>'s base.</summary>
    public static HttpManagementPayload CreateHttpManagementPayload(HttpRequest request, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var prefix = request.Path.StartsWithSegments("/runtime", StringComparison.OrdinalIgnoreCase) ? RuntimeBase : ApiBase;
        var instance = $"{PublicBase(request)}{prefix}/instances/{Uri.EscapeDataString(instanceId)}";
        return new HttpManagementPayload(
            instanceId,
            instance,
            instance + "/raiseEvent/{eventName}",
            instance + "/terminate?reason={text}",
            instance,
            instance + "/suspend?reason={text}",
            instance + "/resume?reason={text}");
    }

    /// <summary>Returns 202 Accepted with the check-status payload, <c>Location</c> = its status URL and <c>Retry-After: 10</c>.</summary>
    public static Accepted<HttpManagementPayload> CreateCheckStatusResponse(HttpRequest request, string instanceId)
    {
        var payload = CreateHttpManagementPayload(request, instanceId);
        request.HttpContext.Response.Headers.RetryAfter = "10";
        return TypedResults.Accepted(payload.StatusQueryGetUri, payload);
    }

    /// <summary>Returns the request's URL as the caller sees it (public host under the Functions host).</summary>
    public static Uri PublicUrl(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new Uri($"{PublicBase(request)}{request.Path.ToUriComponent()}{request.QueryString.ToUriComponent()}");
    }

    private static string PublicBase(HttpRequest request)
    {
        var forwardedHost = request.Headers["X-Forwarded-Host"].FirstOrDefault();
        var forwardedProto = request.Headers["X-Forwarded-Proto"].FirstOrDefault();
        if (!string.IsNullOrEmpty(forwardedHost))
        {
            return $"{forwardedProto ?? request.Scheme}://{forwardedHost}{request.PathBase}";
        }

        var siteHost = Environment.GetEnvironmentVariable("WEBSITE_HOSTNAME");
        if (!string.IsNullOrEmpty(siteHost) && request.Host.Host is "127.0.0.1" or "localhost")
        {
            return $"https://{siteHost}{request.PathBase}";
        }

        return $"{request.Scheme}://{request.Host}{request.PathBase}";
    }
}

/// <summary>Durable Functions' check-status payload: where to query, signal, terminate and purge an instance.</summary>
/// <param name="Id">The instance id.</param>
/// <param name="StatusQueryGetUri">GET: the instance's status.</param>
/// <param name="SendEventPostUri">POST: raise an event (replace <c>{eventName}</c>).</param>
/// <param name="TerminatePostUri">POST: terminate (replace <c>{text}</c> with a reason).</param>
/// <param name="PurgeHistoryDeleteUri">DELETE: purge the finished instance.</param>
/// <param name="SuspendPostUri">POST: suspend.</param>
/// <param name="ResumePostUri">POST: resume.</param>
public sealed record HttpManagementPayload(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("statusQueryGetUri")] string StatusQueryGetUri,
    [property: JsonPropertyName("sendEventPostUri")] string SendEventPostUri,
    [property: JsonPropertyName("terminatePostUri")] string TerminatePostUri,
    [property: JsonPropertyName("purgeHistoryDeleteUri")] string PurgeHistoryDeleteUri,
    [property: JsonPropertyName("suspendPostUri")] string SuspendPostUri,
    [property: JsonPropertyName("resumePostUri")] string ResumePostUri);
