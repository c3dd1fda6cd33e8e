using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs.Models;
using ChurnFlows.Lifecycle;
using ChurnFlows.Lifecycle.Monitoring;
using ChurnFlows.Lifecycle.Serving;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChurnFlows.Functions.Http;

/// <summary>
/// Data in over HTTP: <c>POST /api/datasets?name=…</c> (a CSV body dropped into <c>churn-incoming</c> and
/// ingested) and <c>POST /api/outcomes</c> (labels posted back for drift monitoring).
/// </summary>
public static partial class DataEndpoints
{
    /// <summary>The largest CSV accepted through the API (larger files: upload to the container directly).</summary>
    public const long MaxDatasetBytes = 256L * 1024 * 1024;

    /// <summary>The most outcomes one request may hold.</summary>
    public const int MaxOutcomes = 100_000;

    /// <summary>Maps the data routes.</summary>
    public static IEndpointRouteBuilder MapDataEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/datasets", UploadAsync);
        app.MapPost("/api/outcomes", OutcomesAsync);
        return app;
    }

    private static async Task<Results<Accepted<DatasetAccepted>, ProblemHttpResult, ValidationProblem>> UploadAsync(HttpRequest request, LifecycleServices lifecycle, string? name, CancellationToken cancellationToken)
    {
        name ??= $"upload-{lifecycle.Time.GetUtcNow():yyyyMMdd-HHmmss}-{Guid.NewGuid():N}"[..35] + ".csv";
        if (!SafeName().IsMatch(name))
        {
            return HttpProblems.Invalid([new FieldError("name", $"must be 1-200 letters, digits, '.', '_' or '-' ending in .csv (got '{name}')")]);
        }

        var (body, problem) = await HttpProblems.ReadBytesAsync(request, MaxDatasetBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Value.IsEmpty)
        {
            return HttpProblems.Invalid([new FieldError("$", "the body is empty; send the CSV as the request body")]);
        }

        await lifecycle.Containers.Incoming.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(body.Value), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/csv" } }, cancellationToken);
        var instance = await lifecycle.StartIngestAsync(name, body.Value, cancellationToken);
        return TypedResults.Accepted($"/runtime/webhooks/durabletask/instances/{instance}", new DatasetAccepted($"churn-incoming/{name}", instance, body.Value.Length));
    }

    private static async Task<Results<Accepted<OutcomesRecorded>, ProblemHttpResult, ValidationProblem>> OutcomesAsync(HttpRequest request, LifecycleServices lifecycle, CancellationToken cancellationToken)
    {
        var (body, problem) = await HttpProblems.ReadJsonAsync(request, 32L * 1024 * 1024, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using (body)
        {
            var root = body!.RootElement;
            if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() is 0 or > MaxOutcomes)
            {
                return HttpProblems.Invalid([new FieldError("$", $"expected a JSON array of 1 to {MaxOutcomes} outcomes like {{\"customer_id\":\"C42\",\"churned\":true}}")]);
            }

            var errors = new List<FieldError>();
            var outcomes = new List<OutcomeEntry>();
            var now = lifecycle.Time.GetUtcNow();
            var i = 0;
            foreach (var item in root.EnumerateArray())
            {
                var prefix = $"[{i++}].";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(new FieldError(prefix[..^1], "expected an object"));
                    continue;
                }

                var id = JsonFields.String(item, "customer_id", errors, prefix);
                var churned = JsonFields.Boolean(item, "churned", errors, prefix);
                if (string.IsNullOrWhiteSpace(id) && !errors.Any(e => e.Field == prefix + "customer_id"))
                {
                    errors.Add(new FieldError(prefix + "customer_id", "is required"));
                }

                if (churned is null && !errors.Any(e => e.Field == prefix + "churned"))
                {
                    errors.Add(new FieldError(prefix + "churned", "is required"));
                }

                if (!string.IsNullOrWhiteSpace(id) && churned is { } c)
                {
                    outcomes.Add(new OutcomeEntry(now, id, c));
                }
            }

            if (errors.Count > 0)
            {
                return HttpProblems.Invalid(errors);
            }

            await lifecycle.Predictions.AppendOutcomesAsync(Environment.MachineName + "-" + Environment.ProcessId, outcomes, cancellationToken);
            return TypedResults.Accepted((string?)null, new OutcomesRecorded(outcomes.Count));
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,196}\.csv$")]
    private static partial Regex SafeName();

    /// <summary>An uploaded dataset on its way through ingestion.</summary>
    /// <param name="Blob">Where it was dropped.</param>
    /// <param name="InstanceId">The ingest orchestration.</param>
    /// <param name="Bytes">Its size.</param>
    public sealed record DatasetAccepted(string Blob, string InstanceId, int Bytes);

    /// <summary>How many outcomes were recorded.</summary>
    /// <param name="Recorded">The count.</param>
    public sealed record OutcomesRecorded(int Recorded);
}
