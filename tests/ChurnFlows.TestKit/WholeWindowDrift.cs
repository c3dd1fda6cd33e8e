using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Drift;

namespace ChurnFlows.TestKit;

/// <summary>
/// The drift comparison as the check made it before it streamed its window: every logged prediction held in
/// memory, its features laid out as one matrix and handed to the detector with the probabilities and weights.
/// The reference result the streamed check must equal, and the "before" side of its benchmark.
/// </summary>
public static class WholeWindowDrift
{
    /// <summary>Compares <paramref name="logged"/> (features in the model's pipeline order) with <paramref name="model"/>'s reference.</summary>
    public static DriftReport Compare(ModelArtifact model, IReadOnlyList<(double[] Features, double Probability, int Weight)> logged, DriftOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(logged);
        var names = model.Pipeline.FeatureNames;
        var columns = Enumerable.Range(0, names.Count).Select(c => logged.Select(e => e.Features[c]).ToArray()).ToArray();
        return DriftDetector.Compare(model.ReferenceHistograms, new FeatureMatrix(names, columns), options, model.PredictionHistogram, [.. logged.Select(e => e.Probability)], [.. logged.Select(e => e.Weight)]);
    }
}
