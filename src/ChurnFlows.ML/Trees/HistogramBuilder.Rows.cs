using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ChurnFlows.ML.Trees;

/// <content>
/// Row-wise building (LightGBM's "row-wise" layout): every feature's histogram in one pass over a leaf's rows,
/// from row-major bins. Each row's gradient pair and bins are read once, and consecutive updates go to different
/// features' histograms, so they do not wait on each other.
/// </content>
internal static partial class HistogramBuilder
{
    /// <summary>
    /// Clears <paramref name="hist"/> (all features, <see cref="Stride"/> doubles per bin) and adds rows <c>start..start+count−1</c>:
    /// <c>hist[(offset[f] + bin(row, f))·Stride + (0, 1, 2)] += (g[row], h[row], 1)</c>.
    /// </summary>
    public static void BuildRows(
        ReadOnlySpan<byte> rowBins, ReadOnlySpan<int> binOffsets, int start, int count, ReadOnlySpan<double> gradients, ReadOnlySpan<double> hessians, Span<double> hist)
    {
        Check(rowBins, binOffsets, start + count, gradients, hessians, hist);
        hist.Clear();
        for (var row = start; row < start + count; row++)
        {
            AddRow(rowBins, binOffsets, row, gradients[row], hessians[row], hist);
        }
    }

    /// <summary>Clears <paramref name="hist"/> and adds the listed rows (see <see cref="BuildRows(ReadOnlySpan{byte}, ReadOnlySpan{int}, int, int, ReadOnlySpan{double}, ReadOnlySpan{double}, Span{double})"/>).</summary>
    public static void BuildRows(
        ReadOnlySpan<byte> rowBins, ReadOnlySpan<int> binOffsets, ReadOnlySpan<int> rows, ReadOnlySpan<double> gradients, ReadOnlySpan<double> hessians, Span<double> hist)
    {
        Check(rowBins, binOffsets, gradients.Length, gradients, hessians, hist);
        hist.Clear();
        foreach (var row in rows)
        {
            if ((uint)row >= (uint)gradients.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(rows), $"Row {row} is outside the {gradients.Length} gradients.");
            }

            AddRow(rowBins, binOffsets, row, gradients[row], hessians[row], hist);
        }
    }

    /// <summary>Adds <paramref name="part"/> into <paramref name="total"/> element by element.</summary>
    public static void AddInPlace(Span<double> total, ReadOnlySpan<double> part)
    {
        for (var i = 0; i < total.Length; i++)
        {
            total[i] += part[i];
        }
    }

    private static void Check(ReadOnlySpan<byte> rowBins, ReadOnlySpan<int> binOffsets, int rowsNeeded, ReadOnlySpan<double> gradients, ReadOnlySpan<double> hessians, Span<double> hist)
    {
        var features = binOffsets.Length - 1;
        if (features < 0 || (long)rowsNeeded * features > rowBins.Length || rowsNeeded > gradients.Length || hessians.Length < gradients.Length || hist.Length < binOffsets[^1] * Stride)
        {
            throw new ArgumentException("The row-major bins, gradients or histogram are too short for the rows and features.", nameof(rowBins));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(ReadOnlySpan<byte> rowBins, ReadOnlySpan<int> binOffsets, int row, double gradient, double hessian, Span<double> hist)
    {
        // Bounds were checked once for the whole build (bins are below each feature's bin count by construction).
        var features = binOffsets.Length - 1;
        ref var bins = ref Unsafe.Add(ref MemoryMarshal.GetReference(rowBins), (nint)row * features);
        ref var offsets = ref MemoryMarshal.GetReference(binOffsets);
        ref var first = ref MemoryMarshal.GetReference(hist);
        for (nint f = 0; f < features; f++)
        {
            AddEntry(ref Unsafe.Add(ref first, (nint)(Unsafe.Add(ref offsets, f) + Unsafe.Add(ref bins, f)) * Stride), gradient, hessian);
        }
    }
}
