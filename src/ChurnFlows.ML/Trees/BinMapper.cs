namespace ChurnFlows.ML.Trees;

/// <summary>
/// Maps one feature's raw values to histogram bins: count-balanced quantile bins over the
/// non-missing values (LightGBM's greedy binning) plus one trailing bin for missing values.
/// </summary>
/// <remarks>
/// Value bin <c>b</c> holds every <c>x</c> with <c>UpperBounds[b-1] &lt; x &lt;= UpperBounds[b]</c>;
/// the last upper bound is +∞, so every non-missing value has a bin. Bounds are midpoints between
/// neighbouring distinct values, so a split "bin ≤ t" is exactly the raw rule "x ≤ UpperBounds[t]".
/// </remarks>
internal sealed class BinMapper
{
    private BinMapper(double[] upperBounds)
    {
        UpperBounds = upperBounds;
    }

    /// <summary>Gets the inclusive upper bound of each value bin; the last one is +∞.</summary>
    public double[] UpperBounds { get; }

    /// <summary>Gets the number of value (non-missing) bins.</summary>
    public int ValueBinCount => UpperBounds.Length;

    /// <summary>Gets the index of the missing-value bin (after the value bins).</summary>
    public int MissingBin => UpperBounds.Length;

    /// <summary>Gets the number of bins including the missing bin.</summary>
    public int BinCount => UpperBounds.Length + 1;

    /// <summary>Finds bin bounds from a sample of the feature's values (NaN = missing).</summary>
    /// <param name="sample">Values to bin; NaNs are ignored for the bounds.</param>
    /// <param name="maxValueBins">Most value bins (the missing bin comes on top), 2..255.</param>
    /// <param name="minDataInBin">Fewest sample values a bin should hold (LightGBM uses 3).</param>
    public static BinMapper Fit(ReadOnlySpan<double> sample, int maxValueBins, int minDataInBin)
    {
        var (distinct, counts, n) = CountDistinct(sample);
        if (n == 0)
        {
            return new BinMapper([double.PositiveInfinity]);
        }

        var bounds = distinct.Length <= maxValueBins
            ? BoundsForFewValues(distinct, counts, minDataInBin)
            : GreedyBounds(distinct, counts, n, maxValueBins, minDataInBin);
        return new BinMapper(bounds);
    }

    /// <summary>Bins a whole column (NaN → the missing bin).</summary>
    public byte[] BinAll(ReadOnlySpan<double> column)
    {
        var result = new byte[column.Length];
        var bounds = UpperBounds.AsSpan();
        var missing = (byte)MissingBin;
        for (var i = 0; i < column.Length; i++)
        {
            var value = column[i];
            result[i] = double.IsNaN(value) ? missing : (byte)LowerBound(bounds, value);
        }

        return result;
    }

    /// <summary>
    /// The sorted distinct non-missing values with their counts, and how many values were not missing.
    /// Counted in a hash table while there are few (most churn columns are small integers), else sorted.
    /// </summary>
    private static (double[] Distinct, int[] Counts, int NonMissing) CountDistinct(ReadOnlySpan<double> sample)
    {
        const int hashLimit = 2048;
        var table = new Dictionary<double, int>();
        var nonMissing = 0;
        var i = 0;
        for (; i < sample.Length && table.Count <= hashLimit; i++)
        {
            var v = sample[i];
            if (!double.IsNaN(v))
            {
                nonMissing++;
                table[v] = table.GetValueOrDefault(v) + 1;
            }
        }

        if (i == sample.Length && table.Count <= hashLimit)
        {
            var keys = table.Keys.ToArray();
            var values = table.Values.ToArray();
            Array.Sort(keys, values);
            return (keys, values, nonMissing);
        }

        var sorted = new double[sample.Length];
        var n = 0;
        foreach (var v in sample)
        {
            if (!double.IsNaN(v))
            {
                sorted[n++] = v;
            }
        }

        Array.Sort(sorted, 0, n);
        var distinct = new List<double>();
        var counts = new List<int>();
        for (var k = 0; k < n; k++)
        {
            if (distinct.Count > 0 && sorted[k] == distinct[^1])
            {
                counts[^1]++;
            }
            else
            {
                distinct.Add(sorted[k]);
                counts.Add(1);
            }
        }

        return ([.. distinct], [.. counts], n);
    }

    /// <summary>Returns the bin of one raw value.</summary>
    public int BinOf(double value)
    {
        if (double.IsNaN(value))
        {
            return MissingBin;
        }

        return LowerBound(UpperBounds, value);
    }

    /// <summary>
    /// The first bound ≥ <paramref name="value"/> (the last bound is +∞), branch-free: a data-dependent
    /// branch per halving would mispredict about half the time when binning whole columns.
    /// </summary>
    private static int LowerBound(ReadOnlySpan<double> bounds, double value)
    {
        int first = 0, length = bounds.Length;
        while (length > 1)
        {
            var half = length >> 1;
            first += bounds[first + half - 1] < value ? half : 0;
            length -= half;
        }

        return first;
    }

    /// <summary>Returns the raw threshold that reproduces the binned rule "bin ≤ <paramref name="bin"/>".</summary>
    /// <remarks>The last value bin's bound is +∞; it becomes <see cref="double.MaxValue"/> so models stay plain JSON.</remarks>
    public double ThresholdOf(int bin) => bin >= UpperBounds.Length - 1 ? double.MaxValue : UpperBounds[bin];

    private static double[] BoundsForFewValues(double[] distinct, int[] counts, int minDataInBin)
    {
        var bounds = new List<double>(distinct.Length);
        var accumulated = 0;
        for (var i = 0; i < distinct.Length - 1; i++)
        {
            accumulated += counts[i];
            if (accumulated >= minDataInBin)
            {
                bounds.Add(Midpoint(distinct[i], distinct[i + 1]));
                accumulated = 0;
            }
        }

        bounds.Add(double.PositiveInfinity);
        return [.. bounds];
    }

    private static double[] GreedyBounds(double[] distinct, int[] counts, int total, int maxBins, int minDataInBin)
    {
        maxBins = Math.Max(1, Math.Min(maxBins, total / Math.Max(1, minDataInBin)));
        var meanBinSize = (double)total / maxBins;

        // Values at least as frequent as an average bin get a bin of their own.
        var isBig = new bool[distinct.Length];
        var restCount = total;
        var restBins = maxBins;
        for (var i = 0; i < distinct.Length; i++)
        {
            if (counts[i] >= meanBinSize)
            {
                isBig[i] = true;
                restCount -= counts[i];
                restBins--;
            }
        }

        meanBinSize = restBins > 0 ? (double)restCount / restBins : double.MaxValue;
        var bounds = new List<double>(maxBins);
        var current = 0;
        for (var i = 0; i < distinct.Length - 1; i++)
        {
            if (!isBig[i])
            {
                restCount -= counts[i];
            }

            current += counts[i];
            var close = isBig[i] || current >= meanBinSize || (isBig[i + 1] && current >= Math.Max(1.0, meanBinSize * 0.5));
            if (!close)
            {
                continue;
            }

            bounds.Add(Midpoint(distinct[i], distinct[i + 1]));
            current = 0;
            if (bounds.Count >= maxBins - 1)
            {
                break;
            }

            if (!isBig[i])
            {
                restBins--;
                meanBinSize = restBins > 0 ? (double)restCount / restBins : double.MaxValue;
            }
        }

        bounds.Add(double.PositiveInfinity);
        return [.. bounds];
    }

    private static double Midpoint(double lower, double upper)
    {
        var mid = lower + ((upper - lower) / 2.0);

        // Guard against rounding that would put the bound on the upper value itself.
        return mid >= upper ? lower : mid;
    }
}
