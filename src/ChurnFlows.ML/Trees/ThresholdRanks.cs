using System.Numerics;
using System.Runtime.CompilerServices;
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

    /// <summary>Thresholds compared at once by the vector search.</summary>
    private const int Segment = 16;

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

            features[f] = Searchable(sorted, missing[f].Left ? columns++ : -1, missing[f].Right ? columns++ : -1);
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

            var values = features.Column(f).Slice(start, count);
            var left = ranks.MissingLeftColumn >= 0 ? codes.Slice(ranks.MissingLeftColumn * blockRows, count) : [];
            var right = ranks.MissingRightColumn >= 0 ? codes.Slice(ranks.MissingRightColumn * blockRows, count) : [];
            var above = ranks.Sorted.Length + 1;
            for (var r = 0; r < values.Length; r++)
            {
                // Branch-free: missing values are common in some columns and would be mispredicted.
                var x = values[r];
                var missing = -Unsafe.BitCast<bool, byte>(double.IsNaN(x));
                var code = (1 + CountBelow(ranks, x)) & ~missing;
                if (left.Length > 0)
                {
                    left[r] = T.CreateTruncating(code);
                }

                if (right.Length > 0)
                {
                    right[r] = T.CreateTruncating(code | (above & missing));
                }
            }
        }
    }

    /// <summary>How many of a feature's thresholds lie below <paramref name="x"/> (none for NaN), without a branch on the data.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CountBelow(FeatureRanks ranks, double x)
    {
        ref var table = ref MemoryMarshal.GetArrayDataReference(ranks.Search);
        if (ranks.Splitters is null)
        {
            return ranks.Search.Length == Segment ? CountBelowInSegment(ref table, x) : BinarySearch(ref table, ranks.Search.Length, x);
        }

        // Two levels: every 16th threshold picks the segment, whose 16 thresholds then give the count.
        var segment = CountBelowInSegment(ref MemoryMarshal.GetArrayDataReference(ranks.Splitters), x);
        return (segment * Segment) + CountBelowInSegment(ref Unsafe.Add(ref table, segment * Segment), x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CountBelowInSegment(ref double segment, double x)
    {
        var value = Vector256.Create(x);
        var below = Vector256.LessThan(Vector256.LoadUnsafe(ref segment), value).ExtractMostSignificantBits()
            | (Vector256.LessThan(Vector256.LoadUnsafe(ref segment, 4), value).ExtractMostSignificantBits() << 4)
            | (Vector256.LessThan(Vector256.LoadUnsafe(ref segment, 8), value).ExtractMostSignificantBits() << 8)
            | (Vector256.LessThan(Vector256.LoadUnsafe(ref segment, 12), value).ExtractMostSignificantBits() << 12);
        return BitOperations.PopCount(below);
    }

    /// <summary>A branch-free binary search of a table padded to 2^m − 1 entries.</summary>
    private static int BinarySearch(ref double table, int length, double x)
    {
        var below = 0;
        for (var step = (length + 1) >> 1; step > 0; step >>= 1)
        {
            below += step & -Unsafe.BitCast<bool, byte>(Unsafe.Add(ref table, below + step - 1) < x);
        }

        return below;
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

    /// <summary>
    /// The search for a feature's thresholds: one segment of 16 (≤ 15 thresholds) or 16 segments and their last
    /// thresholds as splitters (≤ 255), with vector compares; else a binary search. Padded with +∞, which no value is below.
    /// </summary>
    private static FeatureRanks Searchable(double[] sorted, int missingLeftColumn, int missingRightColumn)
    {
        var vectors = Vector256.IsHardwareAccelerated && sorted.Length < Segment * Segment;
        var size = !vectors ? (int)BitOperations.RoundUpToPowerOf2((uint)sorted.Length + 1) - 1 : sorted.Length < Segment ? Segment : Segment * Segment;
        var table = new double[size];
        sorted.CopyTo(table, 0);
        table.AsSpan(sorted.Length).Fill(double.PositiveInfinity);
        var splitters = size == Segment * Segment ? Enumerable.Range(1, Segment).Select(i => table[(i * Segment) - 1]).ToArray() : null;
        return new FeatureRanks(sorted, table, splitters, missingLeftColumn, missingRightColumn);
    }

    /// <summary>One feature's sorted distinct thresholds, its search table (and splitters) and its code columns (−1 when no split needs one).</summary>
    private sealed record FeatureRanks(double[] Sorted, double[] Search, double[]? Splitters, int MissingLeftColumn, int MissingRightColumn);
}
