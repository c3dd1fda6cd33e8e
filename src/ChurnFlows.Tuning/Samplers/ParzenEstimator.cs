using System.Runtime.CompilerServices;

namespace ChurnFlows.Tuning.Samplers;

/// <summary>
/// TPE's density model with Optuna 3.1's defaults: a weighted mixture of product kernels, one per
/// observation plus a prior kernel (prior weight 1, magic clip, no endpoints). Numerical dimensions use
/// (discrete) truncated normals in the working space; categoricals use smoothed one-hot kernels.
/// Candidates are drawn with the mixture weights. When scoring (<see cref="LogPdf"/>) with bandwidth
/// weighting on, a continuous kernel's density is not divided by its bandwidth σ, exactly as Optuna 3.1's
/// truncated-normal log-pdf does: broad kernels (the prior, isolated points) then count more in l(x)/g(x).
/// Per-kernel constants are folded into one array, so scoring a point is a few SIMD passes over the kernels.
/// Not thread-safe (it owns a scratch buffer); build one per suggestion.
/// </summary>
internal sealed partial class ParzenEstimator
{
    private static readonly double Sqrt1Over2 = Math.Sqrt(0.5);
    private readonly Dimension[] _dims;
    private readonly double[] _weights;
    private readonly double[] _cumulativeWeights;
    private readonly double[] _constants;
    private readonly double[][] _mus;
    private readonly double[][] _sigmas;
    private readonly double[][] _scales;
    private readonly double[][][] _categorical;
    private readonly double[][][] _logCategoricalByChoice;
    private readonly double[] _terms;

    /// <summary>Builds the mixture from per-dimension observation columns (working space, oldest first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ParzenEstimator(IReadOnlyList<Dimension> dims, IReadOnlyList<double[]> columns, bool multivariate, bool bandwidthWeightedScoring = true)
    {
        _dims = [.. dims];
        var n = columns.Count == 0 ? 0 : columns[0].Length;
        var kernels = n + 1;
        _weights = MixtureWeights(n);
        _cumulativeWeights = new double[kernels];
        _constants = new double[kernels];
        var acc = 0.0;
        for (var k = 0; k < kernels; k++)
        {
            acc += _weights[k];
            _cumulativeWeights[k] = acc;
            _constants[k] = Math.Log(_weights[k]);
        }

        _mus = new double[_dims.Length][];
        _sigmas = new double[_dims.Length][];
        _scales = new double[_dims.Length][];
        _categorical = new double[_dims.Length][][];
        _logCategoricalByChoice = new double[_dims.Length][][];
        for (var d = 0; d < _dims.Length; d++)
        {
            var dim = _dims[d];
            if (dim.Choices > 0)
            {
                (_categorical[d], _logCategoricalByChoice[d]) = CategoricalKernels(dim.Choices, columns[d]);
                continue;
            }

            var (mus, sigmas) = NumericalKernels(dim, columns[d], multivariate, _dims.Length);
            (_mus[d], _sigmas[d]) = (mus, sigmas);
            _scales[d] = new double[kernels];
            for (var k = 0; k < kernels; k++)
            {
                _constants[k] -= NormalMath.LogTruncationMass(mus[k], sigmas[k], dim.Low, dim.High);
                if (dim.IsContinuous)
                {
                    _scales[d][k] = Sqrt1Over2 / sigmas[k];
                    _constants[k] -= NormalMath.LogSqrt2Pi + (bandwidthWeightedScoring ? 0 : Math.Log(sigmas[k]));
                }
            }
        }

        _terms = new double[kernels];
    }

    /// <summary>Gets the number of kernels (observations plus the prior).</summary>
    public int KernelCount => _weights.Length;

    /// <summary>Gets the normalized mixture weights (the prior's last).</summary>
    public IReadOnlyList<double> Weights => _weights;

    /// <summary>Gets the kernel centres of numerical dimension <paramref name="d"/> (the prior's last).</summary>
    public IReadOnlyList<double> Mus(int d) => _mus[d];

    /// <summary>Gets the kernel bandwidths of numerical dimension <paramref name="d"/> (the prior's last).</summary>
    public IReadOnlyList<double> Sigmas(int d) => _sigmas[d];

    /// <summary>Draws one point into <paramref name="point"/>: one kernel chosen by weight, then every dimension from it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Sample(Random random, Span<double> point)
    {
        var k = Array.BinarySearch(_cumulativeWeights, random.NextDouble());
        k = Math.Min(k < 0 ? ~k : k, _weights.Length - 1);
        for (var d = 0; d < _dims.Length; d++)
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

            point[d] = dim.Snap(NormalMath.SampleTruncated(random, _mus[d][k], _sigmas[d][k], dim.Low, dim.High));
        }
    }

    /// <summary>log density of a point under the mixture (up to the bandwidth weighting described above).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double LogPdf(ReadOnlySpan<double> point)
    {
        var terms = _terms.AsSpan();
        _constants.CopyTo(terms);
        for (var d = 0; d < _dims.Length; d++)
        {
            var dim = _dims[d];
            if (dim.Choices > 0)
            {
                MixtureMath.Add(terms, _logCategoricalByChoice[d][(int)point[d]]);
            }
            else if (dim.IsContinuous)
            {
                MixtureMath.SubtractSquares(terms, point[d], _mus[d], _scales[d]);
            }
            else
            {
                var (mus, sigmas) = (_mus[d], _sigmas[d]);
                var (lower, upper) = (Math.Max(point[d] - (dim.Step / 2), dim.Low), Math.Min(point[d] + (dim.Step / 2), dim.High));
                for (var k = 0; k < terms.Length; k++)
                {
                    terms[k] += NormalMath.LogMass((lower - mus[k]) / sigmas[k], (upper - mus[k]) / sigmas[k]);
                }
            }
        }

        return MixtureMath.LogSumExp(terms);
    }
}
