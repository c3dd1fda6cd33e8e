using System.Buffers;

namespace ChurnFlows.ML.Evaluation;

/// <summary>
/// Ranks scores for ROC-AUC in linear time: scores become order-preserving 64-bit keys, sorted by an LSD
/// radix sort (11-bit digits; a digit all keys share is skipped) that carries each row's label along.
/// Tuning computes the validation AUC after every boosting round, so this replaces a comparison sort there.
/// </summary>
internal static class ScoreRanking
{
    private const int DigitBits = 11;
    private const int Buckets = 1 << DigitBits;

    /// <summary>ROC-AUC by the rank-sum formula with average ranks for exact ties; 0.5 when a class is absent.</summary>
    /// <remarks>The caller has checked the lengths. NaN scores rank lowest, tied with each other.</remarks>
    public static double AreaUnderRocCurve(ReadOnlySpan<double> scores, ReadOnlySpan<float> labels)
    {
        var n = scores.Length;
        var keys = ArrayPool<ulong>.Shared.Rent(n);
        var keyBuffer = ArrayPool<ulong>.Shared.Rent(n);
        var positive = ArrayPool<bool>.Shared.Rent(n);
        var positiveBuffer = ArrayPool<bool>.Shared.Rent(n);
        try
        {
            for (var i = 0; i < n; i++)
            {
                keys[i] = SortableKey(scores[i]);
                positive[i] = labels[i] > 0.5f;
            }

            var (sortedKeys, sortedPositive) = Sort(keys, positive, keyBuffer, positiveBuffer, n);
            return RankSum(sortedKeys.AsSpan(0, n), sortedPositive.AsSpan(0, n));
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(keys);
            ArrayPool<ulong>.Shared.Return(keyBuffer);
            ArrayPool<bool>.Shared.Return(positive);
            ArrayPool<bool>.Shared.Return(positiveBuffer);
        }
    }

    /// <summary>Maps a double to an unsigned key with the same order (−0 and +0 become equal keys, NaN the lowest key).</summary>
    internal static ulong SortableKey(double value)
    {
        if (double.IsNaN(value))
        {
            return 0;
        }

        var bits = (ulong)BitConverter.DoubleToInt64Bits(value == 0 ? 0.0 : value);
        return (bits & 0x8000_0000_0000_0000UL) != 0 ? ~bits : bits | 0x8000_0000_0000_0000UL;
    }

    /// <summary>Sorts the first <paramref name="n"/> keys ascending (stable), moving each key's flag with it; returns the arrays that hold the result.</summary>
    internal static (ulong[] Keys, bool[] Flags) Sort(ulong[] keys, bool[] flags, ulong[] keyBuffer, bool[] flagBuffer, int n)
    {
        Span<int> offsets = stackalloc int[Buckets];
        for (var shift = 0; shift < 64; shift += DigitBits)
        {
            offsets.Clear();
            for (var i = 0; i < n; i++)
            {
                offsets[(int)((keys[i] >> shift) & (Buckets - 1))]++;
            }

            if (offsets[(int)((keys[0] >> shift) & (Buckets - 1))] == n)
            {
                continue;
            }

            var total = 0;
            for (var b = 0; b < Buckets; b++)
            {
                (offsets[b], total) = (total, total + offsets[b]);
            }

            for (var i = 0; i < n; i++)
            {
                var slot = offsets[(int)((keys[i] >> shift) & (Buckets - 1))]++;
                keyBuffer[slot] = keys[i];
                flagBuffer[slot] = flags[i];
            }

            var (k, f) = (keys, flags);
            (keys, flags) = (keyBuffer, flagBuffer);
            (keyBuffer, flagBuffer) = (k, f);
        }

        return (keys, flags);
    }

    private static double RankSum(ReadOnlySpan<ulong> keys, ReadOnlySpan<bool> positive)
    {
        double positives = 0, rankSum = 0;
        for (var i = 0; i < keys.Length;)
        {
            var j = i;
            var tiedPositives = positive[i] ? 1 : 0;
            while (j + 1 < keys.Length && keys[j + 1] == keys[i])
            {
                j++;
                tiedPositives += positive[j] ? 1 : 0;
            }

            positives += tiedPositives;
            rankSum += tiedPositives * (((i + j) / 2.0) + 1);
            i = j + 1;
        }

        var negatives = keys.Length - positives;
        return positives == 0 || negatives == 0 ? 0.5 : (rankSum - (positives * (positives + 1) / 2)) / (positives * negatives);
    }
}
