using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ChurnFlows.ML.Trees;

/// <summary>
/// Builds and subtracts per-feature leaf histograms: <see cref="Stride"/> doubles per bin (gradient sum,
/// hessian sum, row count, and one unused slot so a bin is one 32-byte vector). These loops are the trainer's hot path, so they avoid bounds checks and allocations.
/// </summary>
/// <remarks>
/// Rows alternate between two partial histograms that are summed at the end: consecutive rows often
/// share a bin (low-cardinality features), and one accumulator would serialize on that store.
/// </remarks>
internal static partial class HistogramBuilder
{
    // Below this many rows the second accumulator's clear-and-merge costs more than it saves.
    private const int DualAccumulatorMinimumRows = 2048;
    private const int MaxStackDoubles = 256 * Stride;

    /// <summary>Doubles per histogram bin: gradient sum, hessian sum, row count, padding.</summary>
    public const int Stride = 4;

    /// <summary>Histogram of every row in order (the root without bagging): <c>hist[bin(i)] += (g[i], h[i], 1)</c>.</summary>
    public static void BuildAll(ReadOnlySpan<byte> bins, ReadOnlySpan<double> gradients, ReadOnlySpan<double> hessians, Span<double> hist)
    {
        var n = Math.Min(bins.Length, Math.Min(gradients.Length, hessians.Length));
        Build(ref MemoryMarshal.GetReference(bins), ref Unsafe.NullRef<int>(), false, ref MemoryMarshal.GetReference(gradients), ref MemoryMarshal.GetReference(hessians), n, hist);
    }

    /// <summary>
    /// Histogram of the given rows, with gradients already gathered in the same order:
    /// <c>hist[bin(rows[i])] += (orderedGradients[i], orderedHessians[i], 1)</c>.
    /// </summary>
    public static void BuildGathered(
        ReadOnlySpan<byte> bins, ReadOnlySpan<int> rows, ReadOnlySpan<double> orderedGradients, ReadOnlySpan<double> orderedHessians, Span<double> hist)
    {
        if (orderedGradients.Length < rows.Length || orderedHessians.Length < rows.Length)
        {
            throw new ArgumentException("Gathered gradients are shorter than the row list.", nameof(orderedGradients));
        }

        Build(
            ref MemoryMarshal.GetReference(bins), ref MemoryMarshal.GetReference(rows), true,
            ref MemoryMarshal.GetReference(orderedGradients), ref MemoryMarshal.GetReference(orderedHessians), rows.Length, hist);
    }

    /// <summary>Turns a parent histogram into its larger child's in place: <c>parent −= smallerChild</c>.</summary>
    public static void SubtractInPlace(Span<double> parent, ReadOnlySpan<double> smallerChild)
    {
        for (var i = 0; i < parent.Length; i++)
        {
            parent[i] -= smallerChild[i];
        }
    }

    private static void Build(ref byte bins, ref int rows, bool gathered, ref double g, ref double h, int n, Span<double> hist)
    {
        hist.Clear();
        ref var first = ref MemoryMarshal.GetReference(hist);
        if (n < DualAccumulatorMinimumRows || hist.Length > MaxStackDoubles)
        {
            if (gathered)
            {
                for (var i = 0; i < n; i++)
                {
                    Add(ref first, Unsafe.Add(ref bins, Unsafe.Add(ref rows, i)), Unsafe.Add(ref g, i), Unsafe.Add(ref h, i));
                }
            }
            else
            {
                for (var i = 0; i < n; i++)
                {
                    Add(ref first, Unsafe.Add(ref bins, i), Unsafe.Add(ref g, i), Unsafe.Add(ref h, i));
                }
            }

            return;
        }

        Span<double> other = stackalloc double[hist.Length];
        other.Clear();
        ref var second = ref MemoryMarshal.GetReference(other);
        var k = 0;
        if (gathered)
        {
            for (; k + 1 < n; k += 2)
            {
                Add(ref first, Unsafe.Add(ref bins, Unsafe.Add(ref rows, k)), Unsafe.Add(ref g, k), Unsafe.Add(ref h, k));
                Add(ref second, Unsafe.Add(ref bins, Unsafe.Add(ref rows, k + 1)), Unsafe.Add(ref g, k + 1), Unsafe.Add(ref h, k + 1));
            }

            if (k < n)
            {
                Add(ref first, Unsafe.Add(ref bins, Unsafe.Add(ref rows, k)), Unsafe.Add(ref g, k), Unsafe.Add(ref h, k));
            }
        }
        else
        {
            for (; k + 1 < n; k += 2)
            {
                Add(ref first, Unsafe.Add(ref bins, k), Unsafe.Add(ref g, k), Unsafe.Add(ref h, k));
                Add(ref second, Unsafe.Add(ref bins, k + 1), Unsafe.Add(ref g, k + 1), Unsafe.Add(ref h, k + 1));
            }

            if (k < n)
            {
                Add(ref first, Unsafe.Add(ref bins, k), Unsafe.Add(ref g, k), Unsafe.Add(ref h, k));
            }
        }

        for (var j = 0; j < hist.Length; j++)
        {
            hist[j] += other[j];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(ref double hist, int bin, double gradient, double hessian) =>
        AddEntry(ref Unsafe.Add(ref hist, bin * Stride), gradient, hessian);

    /// <summary>Adds (gradient, hessian, 1) to one bin: one vector read-modify-write where 256-bit vectors are accelerated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddEntry(ref double entry, double gradient, double hessian)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            (Vector256.LoadUnsafe(ref entry) + Vector256.Create(gradient, hessian, 1.0, 0.0)).StoreUnsafe(ref entry);
            return;
        }

        entry += gradient;
        Unsafe.Add(ref entry, 1) += hessian;
        Unsafe.Add(ref entry, 2) += 1.0;
    }
}
