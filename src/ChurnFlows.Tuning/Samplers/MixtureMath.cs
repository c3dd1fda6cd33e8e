using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ChurnFlows.Tuning.Samplers;

/// <summary>
/// SIMD loops over a mixture's kernels (one lane per kernel), the hot path of scoring candidates. They are
/// compiled fully optimized from the first call: a study makes few suggestions, so tier-0 code would dominate.
/// </summary>
internal static class MixtureMath
{
    /// <summary>terms[k] −= ((x − mus[k]) · scales[k])².</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SubtractSquares(Span<double> terms, double x, ReadOnlySpan<double> mus, ReadOnlySpan<double> scales)
    {
        var k = 0;
        if (Vector.IsHardwareAccelerated && terms.Length >= Vector<double>.Count)
        {
            var t = MemoryMarshal.Cast<double, Vector<double>>(terms);
            var m = MemoryMarshal.Cast<double, Vector<double>>(mus);
            var s = MemoryMarshal.Cast<double, Vector<double>>(scales);
            var vx = new Vector<double>(x);
            for (var i = 0; i < t.Length; i++)
            {
                var z = (vx - m[i]) * s[i];
                t[i] -= z * z;
            }

            k = t.Length * Vector<double>.Count;
        }

        for (; k < terms.Length; k++)
        {
            var z = (x - mus[k]) * scales[k];
            terms[k] -= z * z;
        }
    }

    /// <summary>terms[k] += values[k].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(Span<double> terms, ReadOnlySpan<double> values)
    {
        var k = 0;
        if (Vector.IsHardwareAccelerated && terms.Length >= Vector<double>.Count)
        {
            var t = MemoryMarshal.Cast<double, Vector<double>>(terms);
            var v = MemoryMarshal.Cast<double, Vector<double>>(values);
            for (var i = 0; i < t.Length; i++)
            {
                t[i] += v[i];
            }

            k = t.Length * Vector<double>.Count;
        }

        for (; k < terms.Length; k++)
        {
            terms[k] += values[k];
        }
    }

    /// <summary>log Σ exp(terms).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double LogSumExp(ReadOnlySpan<double> terms)
    {
        var max = double.NegativeInfinity;
        var k = 0;
        var vectors = Vector.IsHardwareAccelerated ? MemoryMarshal.Cast<double, Vector<double>>(terms) : [];
        if (vectors.Length > 0)
        {
            var vmax = new Vector<double>(double.NegativeInfinity);
            foreach (var v in vectors)
            {
                vmax = Vector.Max(vmax, v);
            }

            for (var lane = 0; lane < Vector<double>.Count; lane++)
            {
                max = Math.Max(max, vmax[lane]);
            }

            k = vectors.Length * Vector<double>.Count;
        }

        for (var i = k; i < terms.Length; i++)
        {
            max = Math.Max(max, terms[i]);
        }

        if (double.IsNegativeInfinity(max) || double.IsNaN(max))
        {
            return max;
        }

        var sum = 0.0;
        if (vectors.Length > 0)
        {
            var vsum = Vector<double>.Zero;
            var vm = new Vector<double>(max);
            // Vector.Exp takes a slow path below its range; terms that far down add nothing anyway.
            var floor = new Vector<double>(-700);
            foreach (var v in vectors)
            {
                vsum += Vector.Exp(Vector.Max(v - vm, floor));
            }

            sum = Vector.Sum(vsum);
        }

        for (var i = k; i < terms.Length; i++)
        {
            sum += Math.Exp(terms[i] - max);
        }

        return max + Math.Log(sum);
    }
}
