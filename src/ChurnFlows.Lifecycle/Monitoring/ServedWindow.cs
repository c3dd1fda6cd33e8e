using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Drift;

namespace ChurnFlows.Lifecycle.Monitoring;

/// <summary>
/// What one model served in a drift window, accumulated one logged prediction at a time so the window never
/// has to fit in memory: a histogram per reference feature and of the predicted probabilities (each entry
/// counted its weight), and the latest score of each customer whose outcome is known.
/// </summary>
internal sealed class ServedWindow
{
    private readonly (FeatureHistogram Histogram, int Position)[] _features;
    private readonly FeatureHistogram? _predictions;
    private readonly Dictionary<string, (DateTimeOffset At, double Probability)> _latest = new(StringComparer.Ordinal);
    private readonly IReadOnlySet<string> _labelledCustomers;
    private long _entries;

    /// <summary>Starts an empty window for <paramref name="model"/>, keeping the latest score of <paramref name="labelledCustomers"/> only.</summary>
    public ServedWindow(ModelArtifact model, IReadOnlySet<string> labelledCustomers)
    {
        var names = model.Pipeline.FeatureNames;
        _features = [.. model.ReferenceHistograms
            .Select(r => (Histogram: r.EmptyCopy(), Position: IndexOf(names, r.Name)))
            .Where(f => f.Position >= 0)];
        _predictions = model.PredictionHistogram?.EmptyCopy();
        _labelledCustomers = labelledCustomers;
    }

    /// <summary>Gets the feature histograms accumulated so far.</summary>
    public IReadOnlyList<FeatureHistogram> Features => [.. _features.Select(f => f.Histogram)];

    /// <summary>Gets the histogram of predicted probabilities, or null when the model has no reference for it or nothing was served.</summary>
    public FeatureHistogram? Predictions => _entries == 0 ? null : _predictions;

    /// <summary>Gets the latest score of each labelled customer that was served.</summary>
    public IReadOnlyDictionary<string, (DateTimeOffset At, double Probability)> LatestLabelledScores => _latest;

    /// <summary>Counts one logged prediction (its features are in the pipeline's order; missing ones count as missing).</summary>
    public void Add(PredictionLogEntry entry)
    {
        var weight = Math.Max(1, entry.Weight);
        foreach (var (histogram, position) in _features)
        {
            histogram.Add(position < entry.Features.Length ? entry.Features[position] : double.NaN, weight);
        }

        _predictions?.Add(entry.Probability, weight);
        _entries++;
        if (_labelledCustomers.Contains(entry.CustomerId)
            && (!_latest.TryGetValue(entry.CustomerId, out var seen) || entry.At >= seen.At))
        {
            _latest[entry.CustomerId] = (entry.At, entry.Probability);
        }
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }

        return -1;
    }
}
