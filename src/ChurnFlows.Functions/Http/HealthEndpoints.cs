using System.Reflection;
using Azure.Storage.Blobs;
using ChurnFlows.Functions.Hosting;
using ChurnFlows.Lifecycle.Serving;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ChurnFlows.Functions.Http;

/// <summary><c>GET /api/health</c>: 200 when storage answers (with or without a promoted model), 503 when it does not.</summary>
public static class HealthEndpoints
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Adds the anonymous <c>Health</c> function.</summary>
    public static FunctionTable AddHealthFunction(this FunctionTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.AddHttp("Health", "GET", "health", HealthAsync, AuthorizationLevel.Anonymous, endpoint => endpoint.WithTags("Health").WithSummary("Storage reachability, the loaded model, the version"));
    }

    private static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> HealthAsync(BlobServiceClient blobs, ModelCache models, IOptions<FunctionsHostingOptions> options, IConfiguration configuration, FunctionTable table, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        string? storageError = null;
        string? modelVersion = null;
        try
        {
            await blobs.GetBlobContainerClient("churn-models").ExistsAsync(timeout.Token);
            modelVersion = (await models.GetAsync(timeout.Token))?.Artifact.Version;
        }
        catch (Exception e) when (e is AggregateException or Azure.RequestFailedException or HttpRequestException or OperationCanceledException or InvalidOperationException or IOException)
        {
            storageError = e is OperationCanceledException ? $"no answer within {ProbeTimeout.TotalSeconds:F0} s" : (e.InnerException ?? e).Message;
        }

        var report = new HealthReport(
            storageError is null ? (modelVersion is null ? "degraded" : "ok") : "unhealthy",
            typeof(HealthEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            options.Value.ResolveMode(configuration).ToString(),
            storageError is null,
            storageError,
            modelVersion is not null,
            modelVersion,
            table.Functions.Count);
        return storageError is null ? TypedResults.Ok(report) : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>The health answer.</summary>
    /// <param name="Status"><c>ok</c>; <c>degraded</c> (no model promoted yet); <c>unhealthy</c> (storage unreachable).</param>
    /// <param name="Version">The app version.</param>
    /// <param name="HostMode">How triggers are received.</param>
    /// <param name="StorageReachable">Whether storage answered.</param>
    /// <param name="StorageError">Why storage did not answer.</param>
    /// <param name="ModelLoaded">Whether a Production model is loaded.</param>
    /// <param name="ModelVersion">The Production model's version.</param>
    /// <param name="Functions">How many functions the app has.</param>
    public sealed record HealthReport(string Status, string Version, string HostMode, bool StorageReachable, string? StorageError, bool ModelLoaded, string? ModelVersion, int Functions);
}
