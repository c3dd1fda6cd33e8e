using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ChurnFlows.ML.Data;

namespace ChurnFlows.ML.Trees;

/// <summary>
/// A model's own threshold domain: per feature, the distinct thresholds its splits use, sorted, so that a value can be
/// replaced by a small code once per row and every split becomes one unsigned comparison of codes. A value's code is
/// 1 + (how many thresholds lie below it); a split on the threshold at index <c>j</c> sends a row right when its code
/// exceeds its rank <c>j + 1</c>, which for non-missing values is exactly <c>not (x ≤ threshold)</c>, −0.0 = +0.0 and
/// ±∞ included. A feature gets one code column per missing direction its splits use: missing values code as 0 (below
/// every split: they go left) or as thresholds + 1 (above every split: they go right). A NaN threshold, which every
/// value fails, gets rank 0. Immutable and thread-safe.
/// </summary>
internal sealed class ThresholdRanks
{
    /// <summary>The most distinct thresholds a feature may have: its largest code, thresholds + 1, must fit 16 bits.</summary>
    internal const int MaxThresholds = ushort.MaxValue - 1;

    /// <summary>The most distinct thresholds every feature may have for codes to fit a byte (our trainer's 255 bins give 254).</summary>
    internal const int MaxByteThresholds = byte.MaxValue - 1;

    private readonly FeatureRanks[] _features;

    private ThresholdRanks(FeatureRanks[] features, int columnCount)
    {
        _features = features;
        ColumnCount = columnCount;
        MostThresholds = features.Max(f => f?.Sorted.Length) ?? 0;
    }

    /// <summary>Gets the number of code columns (used feature × missing direction).</summary>
    public int ColumnCount { get; }

    /// <summary>Gets the most distinct thresholds of any feature: codes go up to this + 1.</summary>
    public int MostThresholds { get; }

    /// <summary>Collects the model's thresholds; null when a feature has more than <see cref="MaxThresholds"/>.</summary>
    public static ThresholdRanks? TryCreate(GbdtModel model)
    {
        var thresholds = new List<double>?[model.FeatureNames.Count];
        var missing = new (bool Left, bool Right)[thresholds.Length];
        foreach (var tree in model.Trees)
        {
            for (var i = 0; i < tree.SplitFeatures.Count; i++)
            {
                var f = tree.SplitFeatures[i];
                (thresholds[f] ??= []).Add(tree.Thresholds[i]);
                missing[f] = tree.DefaultLeft[i] ? missing[f] with { Left = true } : missing[f] with { Right = true };
            }
        }

        var features = new FeatureRanks[thresholds.Length];
        var columns = 0;
        for (var f = 0; f < features.Length; f++)
        {
            if (thresholds[f] is not { } list)
            {
                continue;
            }

            var sorted = Distinct(list);
            if (sorted.Length > MaxThresholds)
            {
                return null;
            }

            var (search, splitters) = ThresholdSearch.Build(sorted);
            features[f] = new FeatureRanks(sorted, search, splitters, missing[f].Left ? columns++ : -1, missing[f].Right ? columns++ : -1);
        }

        return new ThresholdRanks(features, columns);
    }

    /// <summary>A split in the code domain: the code column it reads and the rank a code must exceed to go right.</summary>
    public (int Column, int Rank) Split(int feature, double threshold, bool defaultLeft)
    {
        var ranks = _features[feature];
        var rank = double.IsNaN(threshold) ? 0 : 1 + Array.BinarySearch(ranks.Sorted, threshold);
        return (defaultLeft ? ranks.MissingLeftColumn : ranks.MissingRightColumn, rank);
    }

    /// <summary>Writes the codes of rows <c>[start, start + count)</c>, column after column of <paramref name="blockRows"/>.</summary>
    /// <typeparam name="T">The code width: bytes when <see cref="MostThresholds"/> ≤ <see cref="MaxByteThresholds"/>, else 16 bits.</typeparam>
    public void Encode<T>(FeatureMatrix features, int start, int count, Span<T> codes, int blockRows)
        where T : unmanaged, IBinaryInteger<T>
    {
        for (var f = 0; f < _features.Length; f++)
        {
            if (_features[f] is not { } ranks)
            {
                continue;
            }

            // The first column a feature's splits need is searched for; a second one (missing values go right) copies it.
            var above = ranks.Sorted.Length + 1;
            var first = ranks.MissingLeftColumn >= 0 ? ranks.MissingLeftColumn : ranks.MissingRightColumn;
            ThresholdSearch.Encode(ranks.Search, ranks.Splitters, features.Column(f).Slice(start, count), codes.Slice(first * blockRows, blockRows), first == ranks.MissingLeftColumn ? 0 : above);
            if (first == ranks.MissingLeftColumn && ranks.MissingRightColumn >= 0)
            {
                RaiseMissing(codes.Slice(first * blockRows, blockRows), codes.Slice(ranks.MissingRightColumn * blockRows, blockRows), count, above);
            }
        }
    }

    /// <summary>Copies a column whose missing values code 0 to one where they code <paramref name="above"/>, whole vectors at a time (the block has room).</summary>
    private static void RaiseMissing<T>(Span<T> left, Span<T> right, int count, int above)
        where T : unmanaged, IBinaryInteger<T>
    {
        ref var from = ref MemoryMarshal.GetReference(left);
        ref var to = ref MemoryMarshal.GetReference(right);
        var raised = Vector512.Create(T.CreateTruncating(above));
        for (var r = 0; r < count; r += Vector512<T>.Count)
        {
            var codes = Vector512.LoadUnsafe(ref from, (nuint)r);
            Vector512.ConditionalSelect(Vector512.Equals(codes, Vector512<T>.Zero), raised, codes).StoreUnsafe(ref to, (nuint)r);
        }
    }

    private static double[] Distinct(List<double> thresholds)
    {
        // NaN thresholds rank 0 apart from the rest; −0.0 and +0.0 compare equal and keep one entry.
        var sorted = thresholds.Where(t => !double.IsNaN(t)).Order().ToList();
        List<double> distinct = [];
        foreach (var t in sorted)
        {
            if (distinct.Count == 0 || distinct[^1] < t)
            {
                distinct.Add(t);
            }
        }

        return [.. distinct];
    }

    /// <summary>One feature's sorted distinct thresholds, its search table (and splitters) and its code columns (−1 when no split needs one).</summary>
    private sealed record FeatureRanks(double[] Sorted, double[] Search, double[]? Splitters, int MissingLeftColumn, int MissingRightColumn);
}
