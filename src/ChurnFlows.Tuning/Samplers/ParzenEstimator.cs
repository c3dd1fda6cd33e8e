using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Tuning.Samplers;

/// <summary>
/// TPE's density model: a weighted mixture of product kernels, one per observation plus a prior
/// kernel (Optuna's defaults: prior weight 1, magic clip, no endpoints). Numerical dimensions use
/// (discrete) truncated normals in the transformed space; categoricals use smoothed one-hot kernels.
/// </summary>
internal sealed class ParzenEstimator
{
    private readonly IReadOnlyList<Dimension> _dims;
    private readonly double[] _logWeights;
    private readonly double[][] _mus;
    private readonly double[][] _sigmas;
    private readonly double[][] _logNormalizers;
    private readonly double[][][] _categorical;

    public ParzenEstimator(IReadOnlyList<Dimension> dims, IReadOnlyList<double[]> observations, bool multivariate)
    {
        _dims = dims;
        var n = observations.Count;
        var weights = TpeDefaults.Weights(n).Append(1.0).ToArray();
        var total = weights.Sum();
        _logWeights = [.. weights.Select(w => Math.Log(w / total))];
        _mus = new double[dims.Count][];
        _sigmas = new double[dims.Count][];
        _categorical = new double[dims.Count][][];
        _logNormalizers = new double[dims.Count][];
        for (var d = 0; d < dims.Count; d++)
        {
            var dim = dims[d];
            if (dim.Choices > 0)
            {
                _categorical[d] = CategoricalKernels(dim.Choices, observations.Select(o => (int)o[d]).ToList());
                continue;
            }

            var values = observations.Select(o => o[d]).ToArray();
            (_mus[d], _sigmas[d]) = NumericalKernels(dim, values, multivariate, dims.Count);
            _logNormalizers[d] = [.. _mus[d].Select((mu, k) => NormalMath.LogTruncationMass(mu, _sigmas[d][k], dim.Low, dim.High))];
        }
    }

    public int KernelCount => _logWeights.Length;

    /// <summary>Draws one point (one kernel chosen by weight, then every dimension from it).</summary>
    public double[] Sample(Random random)
    {
        var u = random.NextDouble();
        var k = 0;
        for (var acc = Math.Exp(_logWeights[0]); acc < u && k < _logWeights.Length - 1; acc += Math.Exp(_logWeights[++k]))
        {
        }

        var point = new double[_dims.Count];
        for (var d = 0; d < _dims.Count; d++)
        {
            var dim = _dims[d];
            if (dim.Choices > 0)
            {
                var row = _categorical[d][k];
                var v = random.NextDouble();
                var c = 0;
                for (var acc = row[0]; acc < v && c < row.Length - 1; acc += row[++c])
                {
                }

                point[d] = c;
                continue;
            }

            var x = NormalMath.SampleTruncated(random, _mus[d][k], _sigmas[d][k], dim.Low, dim.High);
            var origin = dim.Low + (dim.Step / 2);
            point[d] = dim.Step > 0 ? Math.Clamp(origin + (Math.Round((x - origin) / dim.Step) * dim.Step), origin, dim.High - (dim.Step / 2)) : x;
        }

        return point;
    }

    /// <summary>log density of a point under the mixture.</summary>
    public double LogPdf(double[] point)
    {
        Span<double> terms = stackalloc double[_logWeights.Length];
        for (var k = 0; k < terms.Length; k++)
        {
            var sum = _logWeights[k];
            for (var d = 0; d < _dims.Count; d++)
            {
                var dim = _dims[d];
                sum += dim.Choices > 0
                    ? Math.Log(Math.Max(_categorical[d][k][(int)point[d]], 1e-300))
                    : NormalMath.LogTruncatedDensity(point[d], _mus[d][k], _sigmas[d][k], dim.Low, dim.High, dim.Step, _logNormalizers[d][k]);
            }

            terms[k] = sum;
        }

        return NormalMath.LogSumExp(terms);
    }

    private static (double[] Mus, double[] Sigmas) NumericalKernels(Dimension dim, double[] observations, bool multivariate, int dimensions)
    {
        var n = observations.Length;
        var range = dim.High - dim.Low;
        var priorMu = 0.5 * (dim.Low + dim.High);
        var mus = observations.Append(priorMu).ToArray();
        var sigmas = new double[n + 1];
        if (multivariate)
        {
            var bandwidth = 0.2 * Math.Pow(Math.Max(n, 1), -1.0 / (dimensions + 4)) * range;
            Array.Fill(sigmas, bandwidth);
        }
        else
        {
            var order = Enumerable.Range(0, n + 1).OrderBy(i => mus[i]).ToArray();
            var sorted = new double[n + 3];
            sorted[0] = dim.Low;
            sorted[^1] = dim.High;
            for (var i = 0; i < order.Length; i++)
            {
                sorted[i + 1] = mus[order[i]];
            }

            for (var i = 0; i < order.Length; i++)
            {
                var left = sorted[i + 1] - sorted[i];
                var right = sorted[i + 2] - sorted[i + 1];
                sigmas[order[i]] = order.Length == 1 ? range : i == 0 ? right : i == order.Length - 1 ? left : Math.Max(left, right);
            }
        }

        sigmas[n] = range;
        var minSigma = range / Math.Min(100.0, 1.0 + (n + 1));
        for (var i = 0; i < sigmas.Length; i++)
        {
            sigmas[i] = Math.Clamp(sigmas[i], Math.Max(minSigma, 1e-12), Math.Max(range, 1e-12));
        }

        return (mus, sigmas);
    }

    private static double[][] CategoricalKernels(int choices, List<int> observed)
    {
        var n = observed.Count;
        var kernels = new double[n + 1][];
        for (var i = 0; i < n; i++)
        {
            var row = Enumerable.Repeat(1.0 / (n + 1), choices).ToArray();
            row[observed[i]] += 1;
            var sum = row.Sum();
            kernels[i] = [.. row.Select(v => v / sum)];
        }

        kernels[n] = Enumerable.Repeat(1.0 / choices, choices).ToArray();
        return kernels;
    }
}

/// <summary>One sampled dimension in TPE's working space (log-transformed, step-widened bounds).</summary>
/// <param name="Name">The parameter name.</param>
/// <param name="Low">The lower bound in working space.</param>
/// <param name="High">The upper bound in working space.</param>
/// <param name="Step">The grid step in working space (0: continuous).</param>
/// <param name="Choices">The number of categories (0 for numbers).</param>
internal sealed record Dimension(string Name, double Low, double High, double Step, int Choices)
{
    public static Dimension For(string name, ParameterDistribution distribution) => distribution switch
    {
        FloatDistribution { Log: true } f => new(name, Math.Log(f.Low), Math.Log(f.High), 0, 0),
        FloatDistribution { Step: { } s } f => new(name, f.Low - (s / 2), f.High + (s / 2), s, 0),
        FloatDistribution f => new(name, f.Low, f.High, 0, 0),
        IntDistribution { Log: true } i => new(name, Math.Log(i.Low - 0.5), Math.Log(i.High + 0.5), 0, 0),
        IntDistribution i => new(name, i.Low - (i.Step / 2.0), i.High + (i.Step / 2.0), i.Step, 0),
        CategoricalDistribution c => new(name, 0, c.Choices.Count - 1, 0, c.Choices.Count),
        _ => throw new ArgumentException($"Unknown distribution for '{name}'.", nameof(distribution)),
    };

    /// <summary>Maps an internal value into working space.</summary>
    public static double ToWorking(ParameterDistribution distribution, double value) =>
        distribution is FloatDistribution { Log: true } or IntDistribution { Log: true } ? Math.Log(value) : value;

    /// <summary>Maps a working-space value back to an internal value inside the distribution.</summary>
    public static double FromWorking(ParameterDistribution distribution, double value) => distribution switch
    {
        FloatDistribution { Log: true } f => Math.Clamp(Math.Exp(value), f.Low, f.High),
        FloatDistribution { Step: { } s } f => Math.Clamp(f.Low + (Math.Round((value - f.Low) / s) * s), f.Low, f.High),
        FloatDistribution f => Math.Clamp(value, f.Low, f.High),
        IntDistribution { Log: true } i => Math.Clamp(Math.Round(Math.Exp(value)), i.Low, i.High),
        IntDistribution i => Math.Clamp(i.Low + (Math.Round((value - i.Low) / i.Step) * i.Step), i.Low, i.High),
        _ => value,
    };
}
