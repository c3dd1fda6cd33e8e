using System.Text.Json;
using ChurnFlows.Lifecycle.Monitoring;
using ChurnFlows.ML.Data;

namespace ChurnFlows.Lifecycle.Serving;

/// <summary>Scores customers with a served model: probability, decision, confidence and top-3 TreeSHAP reasons, naming the model's version and stage.</summary>
public static class PredictionService
{
    /// <summary>The most customers one batch may hold.</summary>
    public const int MaxBatchSize = 10_000;

    /// <summary>
    /// Scores one customer; problems with the request are returned in <paramref name="errors"/> (and the
    /// result is null). A served prediction is queued on <paramref name="log"/> for drift monitoring.
    /// Reasons cost far more than the score (TreeSHAP walks every tree path), so callers that only need the
    /// score pass <paramref name="explain"/> false and get an empty <see cref="PredictionResult.TopReasons"/>.
    /// </summary>
    public static PredictionResult? Predict(ServingModel model, JsonElement customer, List<FieldError> errors, string prefix = "", PredictionLogger? log = null, bool explain = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(errors);
        Span<double> inputs = stackalloc double[model.Artifact.Pipeline.InputColumns.Count];
        var before = errors.Count;
        var id = model.Reader.Read(customer, inputs, errors, prefix);
        return errors.Count > before ? null : Predict(model, id, inputs, log, explain);
    }

    /// <summary>Scores one customer already read (a CSV batch row); see the JSON overload for logging and reasons.</summary>
    public static PredictionResult Predict(ServingModel model, CustomerInputs customer, PredictionLogger? log = null, bool explain = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(customer);
        return Predict(model, customer.Id, customer.Inputs, log, explain);
    }

    private static PredictionResult Predict(ServingModel model, string? id, ReadOnlySpan<double> inputs, PredictionLogger? log, bool explain)
    {
        var pipeline = model.Artifact.Pipeline;
        var features = new double[pipeline.Features.Count];
        pipeline.TransformRow(inputs, features);
        return Answer(model, id, model.Artifact.Model.PredictProbability(features), features, log, explain);
    }

    /// <summary>
    /// Scores a JSON array of customers, each by the model <paramref name="models"/> routes it to: every row
    /// is read and checked first (problems are returned in <paramref name="errors"/>, prefixed with the row
    /// index, and the result is null), then each model scores its rows in one blocked pass over the trees,
    /// which is several times faster per row than one at a time. Answers equal the one-customer route's.
    /// </summary>
    public static IReadOnlyList<PredictionResult>? PredictBatch(ServingModels models, JsonElement customers, List<FieldError> errors, PredictionLogger? log = null, bool explain = true)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(errors);
        var count = customers.GetArrayLength();
        var routed = new ServingModel[count];
        var ids = new string?[count];
        var features = new double[count][];
        var inputs = new double[Math.Max(models.Production.Artifact.Pipeline.InputColumns.Count, models.Staging?.Artifact.Pipeline.InputColumns.Count ?? 0)];
        var i = 0;
        foreach (var customer in customers.EnumerateArray())
        {
            var model = routed[i] = models.For(customer);
            var pipeline = model.Artifact.Pipeline;
            var before = errors.Count;
            ids[i] = model.Reader.Read(customer, inputs.AsSpan(0, pipeline.InputColumns.Count), errors, $"[{i}].");
            if (errors.Count == before)
            {
                pipeline.TransformRow(inputs.AsSpan(0, pipeline.InputColumns.Count), features[i] = new double[pipeline.Features.Count]);
            }

            i++;
        }

        if (errors.Count > 0)
        {
            return null;
        }

        var probabilities = new double[count];
        foreach (var model in routed.Distinct())
        {
            ScoreRows(model, [.. Enumerable.Range(0, count).Where(r => routed[r] == model)], features, probabilities);
        }

        var results = new PredictionResult[count];
        for (i = 0; i < count; i++)
        {
            results[i] = Answer(routed[i], ids[i], probabilities[i], features[i], log, explain);
        }

        return results;
    }

    /// <summary>Scores the listed rows with one model in a blocked pass (rows gathered into a column-major matrix).</summary>
    private static void ScoreRows(ServingModel model, int[] rows, double[][] features, double[] probabilities)
    {
        var columns = new double[model.Artifact.Pipeline.Features.Count][];
        for (var f = 0; f < columns.Length; f++)
        {
            var column = columns[f] = new double[rows.Length];
            for (var k = 0; k < rows.Length; k++)
            {
                column[k] = features[rows[k]][f];
            }
        }

        var scored = new double[rows.Length];
        model.Artifact.Model.Compiled.PredictProbabilities(new FeatureMatrix(model.Artifact.Pipeline.FeatureNames, columns), scored);
        for (var k = 0; k < rows.Length; k++)
        {
            probabilities[rows[k]] = scored[k];
        }
    }

    private static PredictionResult Answer(ServingModel model, string? id, double probability, double[] features, PredictionLogger? log, bool explain)
    {
        var threshold = model.Artifact.Threshold;
        var confidence = probability >= threshold ? (probability - threshold) / Math.Max(1e-9, 1 - threshold) : (threshold - probability) / Math.Max(1e-9, threshold);
        IReadOnlyList<PredictionReason> reasons = explain
            ? [.. model.Explainer.TopReasons(features, 3).Select(r => new PredictionReason(r.Name, double.IsNaN(r.Value) ? null : r.Value, r.Contribution, model.Artifact.Pipeline.CategoryOf(r.FeatureIndex, r.Value)))]
            : [];
        log?.TryLog(new PredictionLogEntry(DateTimeOffset.UtcNow, model.Artifact.Version, id ?? string.Empty, probability, features, model.Stage));
        return new PredictionResult(id, probability, probability >= threshold, Math.Clamp(confidence, 0, 1), model.Artifact.Version, model.Stage, reasons);
    }
}
