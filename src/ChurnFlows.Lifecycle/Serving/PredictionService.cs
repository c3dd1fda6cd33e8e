using ChurnFlows.Lifecycle.Monitoring;
using ChurnFlows.ML.Data;

namespace ChurnFlows.Lifecycle.Serving;

/// <summary>Scores customers with a served model: probability, decision, confidence and top-3 TreeSHAP reasons, naming the model's version and stage.</summary>
public static class PredictionService
{
    /// <summary>The most customers one batch may hold.</summary>
    public const int MaxBatchSize = 10_000;

    /// <summary>
    /// Scores one customer read by <see cref="JsonCustomerReader"/>, with the model it was routed to, and
    /// queues the prediction on <paramref name="log"/> for drift monitoring. Reasons cost far more than the
    /// score (TreeSHAP walks every tree path), so callers that only need the score pass
    /// <paramref name="explain"/> false and get an empty <see cref="PredictionResult.TopReasons"/>.
    /// </summary>
    public static PredictionResult Predict(RoutedCustomer customer, PredictionLogger? log = null, bool explain = true)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var model = customer.Model;
        var pipeline = model.Artifact.Pipeline;
        var width = pipeline.Features.Count;
        var features = width <= 256 ? stackalloc double[width] : new double[width];
        pipeline.TransformRow(customer.Inputs, features);
        return Answer(model, customer.Id, model.Artifact.Model.PredictProbability(features), features, log, explain);
    }

    /// <summary>
    /// Scores a batch read by <see cref="JsonBatchReader"/> or <see cref="CsvBatchReader"/>: each model scores
    /// the rows routed to it in one blocked pass over the trees, which is several times faster per row than
    /// one at a time. Answers, in row order, equal the one-customer route's.
    /// </summary>
    public static IReadOnlyList<PredictionResult> PredictBatch(CustomerBatch batch, PredictionLogger? log = null, bool explain = true)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var probabilities = new double[batch.Models.Count][];
        for (var m = 0; m < batch.Models.Count; m++)
        {
            probabilities[m] = Score(batch.Models[m], batch.FeaturesOf(m), batch.RowsOf(m));
        }

        var results = new PredictionResult[batch.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var (m, position, id) = batch.Row(i);
            var model = batch.Models[m];
            var width = model.Artifact.Pipeline.Features.Count;
            results[i] = Answer(model, id, probabilities[m][position], batch.FeaturesOf(m).Slice(position * width, width), log, explain);
        }

        return results;
    }

    /// <summary>Scores one model's rows (row-major features) in a blocked pass over a column-major copy.</summary>
    private static double[] Score(ServingModel model, ReadOnlySpan<double> features, int rows)
    {
        var scored = new double[rows];
        if (rows == 0)
        {
            return scored;
        }

        var pipeline = model.Artifact.Pipeline;
        var columns = new double[pipeline.Features.Count][];
        for (var f = 0; f < columns.Length; f++)
        {
            var column = columns[f] = new double[rows];
            for (var k = 0; k < rows; k++)
            {
                column[k] = features[(k * columns.Length) + f];
            }
        }

        model.Artifact.Model.Compiled.PredictProbabilities(new FeatureMatrix(pipeline.FeatureNames, columns), scored);
        return scored;
    }

    private static PredictionResult Answer(ServingModel model, string? id, double probability, ReadOnlySpan<double> features, PredictionLogger? log, bool explain)
    {
        var threshold = model.Artifact.Threshold;
        var confidence = probability >= threshold ? (probability - threshold) / Math.Max(1e-9, 1 - threshold) : (threshold - probability) / Math.Max(1e-9, threshold);
        IReadOnlyList<PredictionReason> reasons = explain
            ? [.. model.Explainer.TopReasons(features, 3).AsEnumerable().Select(r => new PredictionReason(r.Name, double.IsNaN(r.Value) ? null : r.Value, r.Contribution, model.Artifact.Pipeline.CategoryOf(r.FeatureIndex, r.Value)))]
            : [];
        if (log?.Sample() is > 0 and var weight)
        {
            log.TryLog(new PredictionLogEntry(DateTimeOffset.UtcNow, model.Artifact.Version, id ?? string.Empty, probability, features.ToArray(), model.Stage, weight));
        }

        return new PredictionResult(id, probability, probability >= threshold, Math.Clamp(confidence, 0, 1), model.Artifact.Version, model.Stage, reasons);
    }
}
