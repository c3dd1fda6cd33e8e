using System.Buffers;
using System.Text;
using ChurnFlows.Functions.Hosting;
using ChurnFlows.Lifecycle.Registry;
using ChurnFlows.Lifecycle.Serving;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace ChurnFlows.Functions.Http;

/// <summary>
/// <c>POST /api/predict</c> (one customer) and <c>POST /api/predict/batch</c> (a JSON array, or a CSV with a
/// header row when the content type is <c>text/csv</c>), served by the Production model, or for the canary share
/// of customers by the newest Staging model (see <see cref="CanaryRouter"/>; batches are routed row by row, and
/// every answer names its model's version and stage). Bad input gets 400 problem+json naming every bad field; a
/// body over the limit gets 413; no promoted model yet gets 503. Client errors never produce a 500. Each answer carries the top-3
/// TreeSHAP reasons unless the query says <c>?reasons=false</c>: explaining costs far more than scoring,
/// so callers that only need the score (bulk scoring, high-rate services) skip it.
/// </summary>
public static class PredictionEndpoints
{
    /// <summary>The largest single-customer body accepted.</summary>
    public const long MaxSingleBodyBytes = 64 * 1024;

    /// <summary>The largest batch body accepted.</summary>
    public const long MaxBatchBodyBytes = 16 * 1024 * 1024;

    /// <summary>Maps the prediction routes.</summary>
    public static IEndpointRouteBuilder MapPredictionEndpoints(this IEndpointRouteBuilder app)
    {
        // The one-customer route takes its singletons from the app rather than from request services, so a request
        // that needs no scoped service never creates a service scope.
        var canary = app.ServiceProvider.GetRequiredService<CanaryRouter>();
        var log = app.ServiceProvider.GetRequiredService<PredictionLogger>();
        app.MapPost("/api/predict", (HttpRequest request, bool? reasons, CancellationToken cancellationToken) => PredictAsync(request, canary, log, reasons, cancellationToken));
        app.MapPost("/api/predict/batch", PredictBatchAsync);
        app.MapGet("/api/models/current", CurrentAsync);
        return app;
    }

    private static async Task<Results<PredictionAnswer, ProblemHttpResult, ValidationProblem>> PredictAsync(HttpRequest request, CanaryRouter canary, PredictionLogger log, bool? reasons, CancellationToken cancellationToken)
    {
        var (body, problem) = await HttpProblems.BufferBodyAsync(request, MaxSingleBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        // Read straight from the UTF-8 body where the server received it; its JSON is judged before the models are.
        var models = await canary.GetModelsAsync(cancellationToken);
        var errors = new List<FieldError>();
        JsonCustomerRead read;
        try
        {
            read = JsonCustomerReader.Read(body.Buffer.IsSingleSegment ? body.Buffer.FirstSpan : body.Buffer.ToArray(), models, errors);
        }
        finally
        {
            request.BodyReader.AdvanceTo(body.Buffer.End);
        }

        if (read.Malformed is { } malformed)
        {
            return HttpProblems.Malformed(malformed);
        }

        if (models is null)
        {
            return NoModel();
        }

        if (read.Customer is not { } customer)
        {
            return HttpProblems.Invalid(errors);
        }

        var result = PredictionService.Predict(customer, log, reasons ?? true);
        ChurnFlowsTelemetry.CountPredictions(result.ModelVersion, result.ModelStage, "single", 1);
        return new PredictionAnswer(result);
    }

    private static async Task<Results<BatchAnswer, ProblemHttpResult, ValidationProblem>> PredictBatchAsync(HttpRequest request, CanaryRouter canary, PredictionLogger log, bool? reasons, CancellationToken cancellationToken)
    {
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) && contentType.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return await PredictCsvBatchAsync(request, canary, log, reasons ?? true, cancellationToken);
        }

        var (body, problem) = await HttpProblems.ReadBytesAsync(request, MaxBatchBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        // Read straight from the UTF-8 body in one pass; the body's shape is judged before the models are.
        var models = await canary.GetModelsAsync(cancellationToken);
        var errors = new List<FieldError>();
        var read = JsonBatchReader.Read(body!.Value.Span, models, errors);
        if (read.Malformed is { } malformed)
        {
            return HttpProblems.Malformed(malformed);
        }

        if (read.Refused is { } refused)
        {
            return HttpProblems.Invalid([refused]);
        }

        if (models is null)
        {
            return NoModel();
        }

        return read.Batch is { } batch ? Answer(models, PredictionService.PredictBatch(batch, log, reasons ?? true)) : HttpProblems.Invalid(errors);
    }

    private static async Task<Results<BatchAnswer, ProblemHttpResult, ValidationProblem>> PredictCsvBatchAsync(HttpRequest request, CanaryRouter canary, PredictionLogger log, bool explain, CancellationToken cancellationToken)
    {
        var (body, problem) = await HttpProblems.ReadBytesAsync(request, MaxBatchBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var models = await canary.GetModelsAsync(cancellationToken);
        if (models is null)
        {
            return NoModel();
        }

        // A row is read by the model the canary routes its customer to, in that model's schema.
        var errors = new List<FieldError>();
        var batch = CsvBatchReader.Read(new StringReader(Encoding.UTF8.GetString(body!.Value.Span)), models, errors);
        return batch is null ? HttpProblems.Invalid(errors) : Answer(models, PredictionService.PredictBatch(batch, log, explain));
    }

    private static BatchAnswer Answer(ServingModels models, IReadOnlyList<PredictionResult> results)
    {
        var staged = results.Count(r => r.ModelStage == ModelStage.Staging);
        ChurnFlowsTelemetry.CountPredictions(models.Production.Artifact.Version, ModelStage.Production, "batch", results.Count - staged);
        if (models.Staging is { } staging && staged > 0)
        {
            ChurnFlowsTelemetry.CountPredictions(staging.Artifact.Version, ModelStage.Staging, "batch", staged);
        }

        return new BatchAnswer(results);
    }

    private static async Task<Results<Ok<CurrentModel>, ProblemHttpResult>> CurrentAsync(CanaryRouter canary, ModelCache cache, CancellationToken cancellationToken)
    {
        var models = await canary.GetModelsAsync(cancellationToken);
        if (models is null)
        {
            return NoModel();
        }

        var artifact = models.Production.Artifact;
        var share = new CanaryShare(canary.CanaryPercent, models.Staging?.Artifact.Version, canary.CanaryPercent > 0 ? cache.StagingProblem : null);
        return TypedResults.Ok(new CurrentModel(artifact.Version, artifact.CreatedAt, artifact.Threshold, artifact.Metrics?.AreaUnderRocCurve, artifact.Lineage.DatasetSha256, share));
    }

    private static ProblemHttpResult NoModel() =>
        HttpProblems.Problem(StatusCodes.Status503ServiceUnavailable, "No model in Production", "No model has been promoted to Production yet; run a retrain (or the demo) first.");

    /// <summary>The served model's summary.</summary>
    /// <param name="Version">The version.</param>
    /// <param name="CreatedAt">When it was trained.</param>
    /// <param name="Threshold">Its decision threshold.</param>
    /// <param name="AreaUnderRocCurve">Its holdout ROC-AUC.</param>
    /// <param name="DatasetSha256">The training data's hash.</param>
    /// <param name="Canary">The canary: its share and the Staging version answering it.</param>
    public sealed record CurrentModel(string Version, DateTimeOffset CreatedAt, double Threshold, double? AreaUnderRocCurve, string DatasetSha256, CanaryShare Canary);

    /// <summary>The canary as served now.</summary>
    /// <param name="Percent">The share of customers sent to Staging (<c>ChurnFlows:Serving:CanaryPercent</c>; 0 = off).</param>
    /// <param name="StagingVersion">The Staging version answering that share, or null (canary off, or no version in Staging).</param>
    /// <param name="Problem">Why the newest Staging version is not being served (it could not be loaded), or null.</param>
    public sealed record CanaryShare(int Percent, string? StagingVersion, string? Problem);
}
