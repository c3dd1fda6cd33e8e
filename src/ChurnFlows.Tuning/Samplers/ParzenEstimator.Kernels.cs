using System.Runtime.CompilerServices;

namespace ChurnFlows.Tuning.Samplers;

/// <summary>Kernel parameters: weights, bandwidths (Optuna 3.1's univariate rule or Scott's rule) and categorical rows.</summary>
internal sealed partial class ParzenEstimator
{
    private static double[] MixtureWeights(int n)
    {
        var weights = new double[n + 1];
        TpeDefaults.Weights(n).CopyTo(weights, 0);
        weights[n] = 1.0;
        var total = 0.0;
        foreach (var w in weights)
        {
            total += w;
        }

        for (var k = 0; k < weights.Length; k++)
        {
            weights[k] /= total;
        }

        return weights;
    }

    /// <summary>
    /// μ = the observations then the prior's centre. Univariate σ: sort all μ (the prior's included) between
    /// the bounds and take the larger gap to a neighbour (only the inner gap at either end); multivariate σ:
    /// 0.2·n^(−1/(d+4))·range. Then clip to [range/min(100, kernels + 1), range]; the prior's σ is the range.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double[] Mus, double[] Sigmas) NumericalKernels(Dimension dim, double[] observations, bool multivariate, int dimensions)
    {
        var n = observations.Length;
        var range = dim.High - dim.Low;
        var mus = new double[n + 1];
        observations.CopyTo(mus, 0);
        mus[n] = 0.5 * (dim.Low + dim.High);
        var sigmas = new double[n + 1];
        if (multivariate)
        {
            Array.Fill(sigmas, 0.2 * Math.Pow(Math.Max(n, 1), -1.0 / (dimensions + 4)) * range);
        }
        else
        {
            var sorted = (double[])mus.Clone();
            var order = new int[n + 1];
            for (var i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            Array.Sort(sorted, order);
            StabilizeTies(sorted, order);
            for (var i = 0; i < order.Length; i++)
            {
                var left = sorted[i] - (i == 0 ? dim.Low : sorted[i - 1]);
                var right = (i == order.Length - 1 ? dim.High : sorted[i + 1]) - sorted[i];
                sigmas[order[i]] = order.Length == 1 ? Math.Max(left, right) : i == 0 ? right : i == order.Length - 1 ? left : Math.Max(left, right);
            }
        }

        var minSigma = Math.Max(range / Math.Min(100.0, 1.0 + (n + 1)), 1e-12);
        for (var i = 0; i < n; i++)
        {
            sigmas[i] = Math.Clamp(sigmas[i], minSigma, Math.Max(range, minSigma));
        }

        sigmas[n] = Math.Max(range, 1e-12);
        return (mus, sigmas);
    }

    /// <summary>Orders equal centres by kernel index (older first), so tied observations get their gaps deterministically, like a stable argsort.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StabilizeTies(double[] sorted, int[] order)
    {
        for (var start = 0; start < sorted.Length;)
        {
            var end = start + 1;
            while (end < sorted.Length && sorted[end] == sorted[start])
            {
                end++;
            }

            if (end - start > 1)
            {
                Array.Sort(order, start, end - start);
            }

            start = end;
        }
    }

    /// <summary>
    /// Each observation's row gives 1/(n+1) to every choice plus 1 to its own, normalized; the prior's row is uniform.
    /// Returns the rows by kernel (for sampling) and their logs by choice (for scoring).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double[][] ByKernel, double[][] LogByChoice) CategoricalKernels(int choices, double[] observed)
    {
        var n = observed.Length;
        var byKernel = new double[n + 1][];
        var logByChoice = new double[choices][];
        for (var c = 0; c < choices; c++)
        {
            logByChoice[c] = new double[n + 1];
        }

        var smoothing = 1.0 / (n + 1);
        var total = (choices * smoothing) + 1;
        for (var k = 0; k <= n; k++)
        {
            var row = new double[choices];
            for (var c = 0; c < choices; c++)
            {
                row[c] = k == n ? 1.0 / choices : (smoothing + (c == (int)observed[k] ? 1 : 0)) / total;
                logByChoice[c][k] = Math.Log(Math.Max(row[c], 1e-300));
            }

            byKernel[k] = row;
        }

        return (byKernel, logByChoice);
    }
}
