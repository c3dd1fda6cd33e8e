using System.Text;
using System.Text.Json;
using ChurnFlows.Functions.Hosting;
using ChurnFlows.Lifecycle.Serving;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace ChurnFlows.Functions.Http;

/// <summary>
/// <c>POST /api/predict</c> (one customer) and <c>POST /api/predict/batch</c> (a JSON array, or a CSV with a
/// header row when the content type is <c>text/csv</c>), served by the Production model. Bad input gets 400
/// problem+json naming every bad field; a body over the limit gets 413; no promoted model yet gets 503.
/// Client errors never produce a 500. Each answer carries the top-3
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
        app.MapPost("/api/predict", PredictAsync);
        app.MapPost("/api/predict/batch", PredictBatchAsync);
        app.MapGet("/api/models/current", CurrentAsync);
        return app;
    }

    private static async Task<Results<Ok<PredictionResult>, ProblemHttpResult, ValidationProblem>> PredictAsync(HttpRequest request, ModelCache models, PredictionLogger log, bool? reasons, CancellationToken cancellationToken)
    {
        var (body, problem) = await HttpProblems.ReadJsonAsync(request, MaxSingleBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using (body)
        {
            var model = await models.GetAsync(cancellationToken);
            if (model is null)
            {
                return NoModel();
            }

            var errors = new List<FieldError>();
            var result = PredictionService.Predict(model, body!.RootElement, errors, log: log, explain: reasons ?? true);
            if (result is not null)
            {
                ChurnFlowsTelemetry.CountPredictions(result.ModelVersion, "single", 1);
            }

            return result is null ? HttpProblems.Invalid(errors) : TypedResults.Ok(result);
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<PredictionResult>>, ProblemHttpResult, ValidationProblem>> PredictBatchAsync(HttpRequest request, ModelCache models, PredictionLogger log, bool? reasons, CancellationToken cancellationToken)
    {
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) && contentType.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return await PredictCsvBatchAsync(request, models, log, reasons ?? true, cancellationToken);
        }

        var (body, problem) = await HttpProblems.ReadJsonAsync(request, MaxBatchBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using (body)
        {
            var root = body!.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                return HttpProblems.Invalid([new FieldError("$", "expected a JSON array of customers")]);
            }

            var count = root.GetArrayLength();
            if (count is 0 or > PredictionService.MaxBatchSize)
            {
                return HttpProblems.Invalid([new FieldError("$", $"a batch holds 1 to {PredictionService.MaxBatchSize} customers; this one has {count}")]);
            }

            var model = await models.GetAsync(cancellationToken);
            if (model is null)
            {
                return NoModel();
            }

            var errors = new List<FieldError>();
            var results = new List<PredictionResult>(count);
            var i = 0;
            foreach (var customer in root.EnumerateArray())
            {
                if (PredictionService.Predict(model, customer, errors, $"[{i++}].", log, reasons ?? true) is { } result)
                {
                    results.Add(result);
                }
            }

            return BatchAnswer(model, results, errors);
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<PredictionResult>>, ProblemHttpResult, ValidationProblem>> PredictCsvBatchAsync(HttpRequest request, ModelCache models, PredictionLogger log, bool explain, CancellationToken cancellationToken)
    {
        var (body, problem) = await HttpProblems.ReadBytesAsync(request, MaxBatchBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var model = await models.GetAsync(cancellationToken);
        if (model is null)
        {
            return NoModel();
        }

        var errors = new List<FieldError>();
        var customers = model.Reader.ReadCsv(new StringReader(Encoding.UTF8.GetString(body!.Value.Span)), errors, PredictionService.MaxBatchSize);
        var results = errors.Count > 0 ? [] : customers.Select(c => PredictionService.Predict(model, c, log, explain)).ToList();
        return BatchAnswer(model, results, errors);
    }

    private static Results<Ok<IReadOnlyList<PredictionResult>>, ProblemHttpResult, ValidationProblem> BatchAnswer(ServingModel model, List<PredictionResult> results, List<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            return HttpProblems.Invalid(errors);
        }

        ChurnFlowsTelemetry.CountPredictions(model.Artifact.Version, "batch", results.Count);
        return TypedResults.Ok<IReadOnlyList<PredictionResult>>(results);
    }

    private static async Task<Results<Ok<CurrentModel>, ProblemHttpResult>> CurrentAsync(ModelCache models, CancellationToken cancellationToken)
    {
        var model = await models.GetAsync(cancellationToken);
        return model is null ? NoModel() : TypedResults.Ok(new CurrentModel(model.Artifact.Version, model.Artifact.CreatedAt, model.Artifact.Threshold, model.Artifact.Metrics?.AreaUnderRocCurve, model.Artifact.Lineage.DatasetSha256));
    }

    private static ProblemHttpResult NoModel() =>
        HttpProblems.Problem(StatusCodes.Status503ServiceUnavailable, "No model in Production", "No model has been promoted to Production yet; run a retrain (or the demo) first.");

    /// <summary>The served model's summary.</summary>
    /// <param name="Version">The version.</param>
    /// <param name="CreatedAt">When it was trained.</param>
    /// <param name="Threshold">Its decision threshold.</param>
    /// <param name="AreaUnderRocCurve">Its holdout ROC-AUC.</param>
    /// <param name="DatasetSha256">The training data's hash.</param>
    public sealed record CurrentModel(string Version, DateTimeOffset CreatedAt, double Threshold, double? AreaUnderRocCurve, string DatasetSha256);
}
