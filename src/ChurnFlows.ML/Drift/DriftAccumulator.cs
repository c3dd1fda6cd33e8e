namespace ChurnFlows.ML.Drift;

/// <summary>
/// Current data binned like a model's reference one row at a time, so data that arrives as a stream (prediction
/// logs) never has to be held whole: a histogram per reference feature found among the row's feature names, and
/// one of the predicted probabilities when the model has a reference for them. Each row or prediction counts its
/// weight (a row of a weighted sample stands for that many). <see cref="Compare"/> judges what was added.
/// </summary>
public sealed class DriftAccumulator
{
    private readonly IReadOnlyList<FeatureHistogram> _reference;
    private readonly (FeatureHistogram Current, int Position)[] _features;
    private readonly FeatureHistogram? _predictionReference;
    private readonly FeatureHistogram? _predictions;
    private bool _anyPrediction;

    /// <summary>Starts empty for rows whose values come in <paramref name="featureNames"/> order.</summary>
    public DriftAccumulator(IReadOnlyList<FeatureHistogram> reference, IReadOnlyList<string> featureNames, FeatureHistogram? predictionReference = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(featureNames);
        var positions = featureNames.Select((name, position) => (name, position)).GroupBy(p => p.name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().position, StringComparer.Ordinal);
        _reference = reference;
        _features = [.. reference.Where(r => positions.ContainsKey(r.Name)).Select(r => (r.EmptyCopy(), positions[r.Name]))];
        _predictionReference = predictionReference;
        _predictions = predictionReference?.EmptyCopy();
    }

    /// <summary>Counts one row <paramref name="weight"/> times; a row shorter than the feature names is missing the rest.</summary>
    public void AddRow(ReadOnlySpan<double> features, long weight = 1)
    {
        foreach (var (current, position) in _features)
        {
            current.Add(position < features.Length ? features[position] : double.NaN, weight);
        }
    }

    /// <summary>Counts one predicted probability <paramref name="weight"/> times.</summary>
    public void AddPrediction(double probability, long weight = 1)
    {
        _predictions?.Add(probability, weight);
        _anyPrediction = true;
    }

    /// <summary>Judges what was added against the reference (the predictions only once any were added).</summary>
    public DriftReport Compare(DriftOptions? options = null) =>
        DriftDetector.Compare(_reference, [.. _features.Select(f => f.Current)], options, _predictionReference, _anyPrediction ? _predictions : null);
}
