using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ChurnFlows.ML.Trees;

/// <summary>
/// Counts how many of a feature's sorted, distinct thresholds lie below a value (none for NaN), without a branch on the
/// value: up to 15 thresholds by comparing all 16 slots of one segment at once; up to 255 by a segment of splitters
/// (every 16th threshold) that picks the segment to compare; more by a branch-free binary search. Tables are padded
/// with +∞, which no value is below.
/// </summary>
internal static class ThresholdSearch
{
    /// <summary>Thresholds compared at once.</summary>
    private const int Segment = 16;

    /// <summary>Builds the search for <paramref name="sorted"/>: its table and, for two levels, its splitters.</summary>
    public static (double[] Table, double[]? Splitters) Build(double[] sorted)
    {
        var vectors = Vector256.IsHardwareAccelerated && sorted.Length < Segment * Segment;
        var size = !vectors ? (int)BitOperations.RoundUpToPowerOf2((uint)sorted.Length + 1) - 1 : sorted.Length < Segment ? Segment : Segment * Segment;
        var table = new double[size];
        sorted.CopyTo(table, 0);
        table.AsSpan(sorted.Length).Fill(double.PositiveInfinity);
        var splitters = size == Segment * Segment ? Enumerable.Range(1, Segment).Select(i => table[(i * Segment) - 1]).ToArray() : null;
        return (table, splitters);
    }

    /// <summary>Writes each value's code: 1 + thresholds below it, or <paramref name="missingCode"/> for NaN.</summary>
    public static void Encode<T>(double[] table, double[]? splitters, ReadOnlySpan<double> values, Span<T> codes, int missingCode)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (splitters is not null)
        {
            Encode(new TwoLevels(table, splitters), values, codes, missingCode);
        }
        else if (table.Length == Segment)
        {
            Encode(new OneSegment(table), values, codes, missingCode);
        }
        else
        {
            Encode(new BinarySearch(table), values, codes, missingCode);
        }
    }

    /// <summary>The loop, specialized by the JIT for each way to count.</summary>
    private static void Encode<T, TCount>(TCount count, ReadOnlySpan<double> values, Span<T> codes, int missingCode)
        where T : unmanaged, IBinaryInteger<T>
        where TCount : struct, ICountBelow
    {
        ref var code = ref MemoryMarshal.GetReference(codes);
        for (var r = 0; r < values.Length; r++)
        {
            // Branch-free: missing values are common in some columns and would be mispredicted.
            var x = values[r];
            var missing = -Unsafe.BitCast<bool, byte>(double.IsNaN(x));
            Unsafe.Add(ref code, r) = T.CreateTruncating(((1 + count.Below(x)) & ~missing) | (missingCode & missing));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int BelowInSegment(ref double segment, double x)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var wide = Vector512.Create(x);
            return BitOperations.PopCount(
                Vector512.LessThan(Vector512.LoadUnsafe(ref segment), wide).ExtractMostSignificantBits()
                | (Vector512.LessThan(Vector512.LoadUnsafe(ref segment, 8), wide).ExtractMostSignificantBits() << 8));
        }

        var value = Vector256.Create(x);
        var below = Vector256.LessThan(Vector256.LoadUnsafe(ref segment), value).ExtractMostSignificantBits()
            | (Vector256.LessThan(Vector256.LoadUnsafe(ref segment, 4), value).ExtractMostSignificantBits() << 4)
            | (Vector256.LessThan(Vector256.LoadUnsafe(ref segment, 8), value).ExtractMostSignificantBits() << 8)
            | (Vector256.LessThan(Vector256.LoadUnsafe(ref segment, 12), value).ExtractMostSignificantBits() << 12);
        return BitOperations.PopCount(below);
    }

    /// <summary>One way to count the thresholds below a value.</summary>
    private interface ICountBelow
    {
        int Below(double x);
    }

    private readonly struct OneSegment(double[] table) : ICountBelow
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Below(double x) => BelowInSegment(ref MemoryMarshal.GetArrayDataReference(table), x);
    }

    private readonly struct TwoLevels(double[] table, double[] splitters) : ICountBelow
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Below(double x)
        {
            var segment = BelowInSegment(ref MemoryMarshal.GetArrayDataReference(splitters), x) * Segment;
            return segment + BelowInSegment(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(table), segment), x);
        }
    }

    /// <summary>A table of 2^m − 1 entries, halved m times.</summary>
    private readonly struct BinarySearch(double[] table) : ICountBelow
    {
        public int Below(double x)
        {
            ref var t = ref MemoryMarshal.GetArrayDataReference(table);
            var below = 0;
            for (var step = (table.Length + 1) >> 1; step > 0; step >>= 1)
            {
                below += step & -Unsafe.BitCast<bool, byte>(Unsafe.Add(ref t, below + step - 1) < x);
            }

            return below;
        }
    }
}
