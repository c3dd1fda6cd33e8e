using System.Text.Json;
using ChurnFlows.Lifecycle.Monitoring;

namespace ChurnFlows.Lifecycle.Serving;

/// <summary>Scores customers with the served model: probability, decision, confidence and top-3 TreeSHAP reasons.</summary>
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
        var probability = model.Artifact.Model.PredictProbability(features);
        var threshold = model.Artifact.Threshold;
        var confidence = probability >= threshold ? (probability - threshold) / Math.Max(1e-9, 1 - threshold) : (threshold - probability) / Math.Max(1e-9, threshold);
        IReadOnlyList<PredictionReason> reasons = explain
            ? [.. model.Explainer.TopReasons(features, 3).Select(r => new PredictionReason(r.Name, double.IsNaN(r.Value) ? null : r.Value, r.Contribution, pipeline.CategoryOf(r.FeatureIndex, r.Value)))]
            : [];
        log?.TryLog(new PredictionLogEntry(DateTimeOffset.UtcNow, model.Artifact.Version, id ?? string.Empty, probability, features));
        return new PredictionResult(id, probability, probability >= threshold, Math.Clamp(confidence, 0, 1), model.Artifact.Version, reasons);
    }
}
