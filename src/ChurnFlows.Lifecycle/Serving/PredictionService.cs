using System.Text.Json;
using ChurnFlows.Lifecycle.Monitoring;

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
        var pipeline = model.Artifact.Pipeline;
        Span<double> inputs = stackalloc double[pipeline.InputColumns.Count];
        var before = errors.Count;
        var id = model.Reader.Read(customer, inputs, errors, prefix);
        if (errors.Count > before)
        {
            return null;
        }

        var features = new double[pipeline.Features.Count];
        pipeline.TransformRow(inputs, features);
        var probability = model.Artifact.Model.PredictProbability(features);
        var threshold = model.Artifact.Threshold;
        var confidence = probability >= threshold ? (probability - threshold) / Math.Max(1e-9, 1 - threshold) : (threshold - probability) / Math.Max(1e-9, threshold);
        IReadOnlyList<PredictionReason> reasons = explain
            ? [.. model.Explainer.TopReasons(features, 3).Select(r => new PredictionReason(r.Name, double.IsNaN(r.Value) ? null : r.Value, r.Contribution))]
            : [];
        log?.TryLog(new PredictionLogEntry(DateTimeOffset.UtcNow, model.Artifact.Version, id ?? string.Empty, probability, features, model.Stage));
        return new PredictionResult(id, probability, probability >= threshold, Math.Clamp(confidence, 0, 1), model.Artifact.Version, model.Stage, reasons);
    }
}
