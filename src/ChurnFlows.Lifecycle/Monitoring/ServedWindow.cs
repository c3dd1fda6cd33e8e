using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Drift;

namespace ChurnFlows.Lifecycle.Monitoring;

/// <summary>
/// What one model served in a drift window, accumulated one logged prediction at a time so the window never
/// has to fit in memory: its features and probabilities binned like the model's reference (each entry counted
/// its weight), and the latest score of each customer whose outcome is known.
/// </summary>
internal sealed class ServedWindow
{
    private readonly Dictionary<string, (DateTimeOffset At, double Probability)> _latest = new(StringComparer.Ordinal);
    private readonly IReadOnlySet<string> _labelledCustomers;

    /// <summary>Starts an empty window for <paramref name="model"/>, keeping the latest score of <paramref name="labelledCustomers"/> only.</summary>
    public ServedWindow(ModelArtifact model, IReadOnlySet<string> labelledCustomers)
    {
        Drift = new DriftAccumulator(model.ReferenceHistograms, model.Pipeline.FeatureNames, model.PredictionHistogram);
        _labelledCustomers = labelledCustomers;
    }

    /// <summary>Gets the served features and probabilities, binned like the model's reference.</summary>
    public DriftAccumulator Drift { get; }

    /// <summary>Gets the latest score of each labelled customer that was served.</summary>
    public IReadOnlyDictionary<string, (DateTimeOffset At, double Probability)> LatestLabelledScores => _latest;

    /// <summary>Counts one logged prediction (its features are in the pipeline's order; missing ones count as missing).</summary>
    public void Add(PredictionLogEntry entry)
    {
        var weight = Math.Max(1, entry.Weight);
        Drift.AddRow(entry.Features, weight);
        Drift.AddPrediction(entry.Probability, weight);
        if (_labelledCustomers.Contains(entry.CustomerId)
            && (!_latest.TryGetValue(entry.CustomerId, out var seen) || entry.At >= seen.At))
        {
            _latest[entry.CustomerId] = (entry.At, entry.Probability);
        }
    }
}
