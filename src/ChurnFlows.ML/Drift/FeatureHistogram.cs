namespace ChurnFlows.ML.Drift;

/// <summary>
/// Counts of one feature's values in fixed bins (quantile edges fitted on training data) plus a
/// missing bin. Stored with the model as the drift reference; accumulated from prediction logs.
/// Bin i holds values in (Edges[i-1], Edges[i]]; the last bin holds values above every edge.
/// </summary>
public sealed record FeatureHistogram
{
    /// <summary>Gets the feature name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the upper edges of all bins but the last.</summary>
    public required double[] Edges { get; init; }

    /// <summary>Gets the count per bin (Edges.Length + 1 bins).</summary>
    public required long[] Counts { get; init; }

    /// <summary>Gets the count of missing values.</summary>
    public long MissingCount { get; set; }

    /// <summary>Gets the total count, missing included.</summary>
    public long Total => Counts.Sum() + MissingCount;

    /// <summary>Fits quantile edges (at most <paramref name="bins"/> bins) on <paramref name="values"/> and counts them.</summary>
    public static FeatureHistogram Fit(string name, ReadOnlySpan<double> values, int bins = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        var present = new List<double>(values.Length);
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                present.Add(v);
            }
        }

        present.Sort();
        var edges = new SortedSet<double>();
        for (var b = 1; b < bins && present.Count > 0; b++)
        {
            edges.Add(present[Math.Min(present.Count - 1, (int)((long)present.Count * b / bins))]);
        }

        var histogram = new FeatureHistogram { Name = name, Edges = [.. edges], Counts = new long[edges.Count + 1] };
        foreach (var v in values)
        {
            histogram.Add(v);
        }

        return histogram;
    }

    /// <summary>Fits one histogram per column of <paramref name="features"/> (the model's drift reference).</summary>
    public static IReadOnlyList<FeatureHistogram> FitAll(ChurnFlows.ML.Data.FeatureMatrix features, int bins = 10)
    {
        ArgumentNullException.ThrowIfNull(features);
        return [.. Enumerable.Range(0, features.ColumnCount).Select(j => Fit(features.FeatureNames[j], features.Column(j), bins))];
    }

    /// <summary>Returns an empty histogram with the same bins (to accumulate new data into).</summary>
    public FeatureHistogram EmptyCopy() => new() { Name = Name, Edges = Edges, Counts = new long[Counts.Length] };

    /// <summary>Counts one value <paramref name="weight"/> times (a sampled value stands for that many).</summary>
    public void Add(double value, long weight = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(weight);
        if (double.IsNaN(value))
        {
            MissingCount += weight;
            return;
        }

        var index = Array.BinarySearch(Edges, value);
        Counts[index >= 0 ? index : ~index] += weight;
    }

    /// <summary>Adds another histogram with the same bins.</summary>
    /// <exception cref="ArgumentException">The bins differ.</exception>
    public void Merge(FeatureHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!Edges.AsSpan().SequenceEqual(other.Edges))
        {
            throw new ArgumentException($"Histograms of '{Name}' and '{other.Name}' have different bins.", nameof(other));
        }

        for (var i = 0; i < Counts.Length; i++)
        {
            Counts[i] += other.Counts[i];
        }

        MissingCount += other.MissingCount;
    }
}
