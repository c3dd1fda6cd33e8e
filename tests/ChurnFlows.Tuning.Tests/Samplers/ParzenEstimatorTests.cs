using ChurnFlows.Tuning.Samplers;
using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Tuning.Tests.Samplers;

/// <summary>
/// Expected values were computed once with Optuna 3.1.0 (Debian python3-optuna):
/// <c>optuna.samplers._tpe.parzen_estimator._ParzenEstimator(obs, space, _ParzenEstimatorParameters(True, 1.0, True, False, default_weights, False))</c>,
/// reading <c>_mus</c>, <c>_sigmas</c>, <c>_weights</c> and <c>log_pdf(points)</c>.
/// </summary>
public class ParzenEstimatorTests
{
    private static ParzenEstimator Build(ParameterDistribution distribution, double[] observations, bool bandwidthWeighted = true)
    {
        var dims = new[] { Dimension.For("p", distribution) };
        return new ParzenEstimator(dims, [[.. observations.Select(o => Dimension.ToWorking(distribution, o))]], multivariate: false, bandwidthWeighted);
    }

    private static void Near(double[] expected, IEnumerable<double> actual, double tolerance)
    {
        var a = actual.ToArray();
        Assert.Equal(expected.Length, a.Length);
        for (var i = 0; i < a.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - a[i]) <= tolerance, $"[{i}] expected {expected[i]:R}, got {a[i]:R}");
        }
    }

    [Fact]
    public void Kernels_FloatHistory_MatchOptuna31()
    {
        var pe = Build(new FloatDistribution(-5, 10), [2.5, -4.0, 9.0, 3.0, 3.0, 0.5]);

        Near([2.5, -4.0, 9.0, 3.0, 3.0, 0.5, 2.5], pe.Mus(0), 1e-12);
        Near([2.0, 4.5, 6.0, 1.875, 6.0, 4.5, 15.0], pe.Sigmas(0), 1e-12);
        Near(Enumerable.Repeat(1 / 7.0, 7).ToArray(), pe.Weights, 1e-12);
        Near([-1.2255428330414255, -0.9515998865805734, -0.7329052746860831, -1.2517173243214001], new[] { -5.0, -1.0, 3.0, 9.5 }.Select(x => pe.LogPdf([x])), 1e-6);
    }

    [Fact]
    public void Kernels_IntHistoryWithTies_MatchOptuna31()
    {
        var pe = Build(new IntDistribution(1, 64), [8, 8, 31, 64, 2]);

        Near([8, 8, 31, 64, 2, 32.5], pe.Mus(0), 1e-12);
        Near([9.142857142857142, 23.0, 23.0, 31.5, 9.142857142857142, 64.0], pe.Sigmas(0), 1e-12);
        Near([-3.5566666921672208, -3.516543703953845, -4.408217503328184, -4.798977511258444], new[] { 1.0, 8, 30, 64 }.Select(x => pe.LogPdf([x])), 1e-5); // grid masses use a 1e-7-accurate erfc
    }

    [Fact]
    public void Kernels_LogFloatHistory_MatchOptuna31()
    {
        var distribution = new FloatDistribution(1e-3, 1.0, Log: true);
        var pe = Build(distribution, [0.01, 0.1, 0.05, 0.9]);

        Near([1.1512925464970227, 2.197224577336219, 1.1512925464970227, 2.197224577336219, 6.907755278982137], pe.Sigmas(0), 1e-12);
        Near([-1.574605128541445, -0.8167175356461938, -0.8552907111039765], new[] { 0.001, 0.02, 0.5 }.Select(x => pe.LogPdf([Math.Log(x)])), 1e-6);
    }

    [Fact]
    public void LogPdf_WithoutBandwidthWeighting_IsTheNormalizedMixtureDensity()
    {
        var pe = Build(new FloatDistribution(0, 1), [0.2, 0.25, 0.9], bandwidthWeighted: false);

        // A proper density integrates to 1 over the range (midpoint rule).
        const int Steps = 20_000;
        var integral = Enumerable.Range(0, Steps).Sum(i => Math.Exp(pe.LogPdf([(i + 0.5) / Steps]))) / Steps;
        Assert.Equal(1.0, integral, 4);
    }

    [Fact]
    public void Weights_ThirtyObservations_RampTheOldestFiveLikeOptuna()
    {
        var weights = TpeDefaults.Weights(30);

        Near([0.03333333333333333, 0.275, 0.5166666666666667, 0.7583333333333333, 1.0, 1.0], weights.Take(6).ToArray(), 1e-12);
        Assert.All(weights.Skip(5), w => Assert.Equal(1.0, w));
    }

    [Fact]
    public void LogMass_FarTailInterval_KeepsItsRelativeAccuracy()
    {
        // log(Φ(−10) − Φ(−10.5)); Optuna's _log_gauss_mass([10], [10.5]) gives the same.
        Assert.Equal(-53.236969371752494, NormalMath.LogMass(10, 10.5), 5);
        Assert.Equal(-53.236969371752494, NormalMath.LogMass(-10.5, -10), 5);
    }

    [Fact]
    public void LogSumExp_LongMixtureWithFarKernels_MatchesScalarSum()
    {
        var random = new Random(3);
        var terms = Enumerable.Range(0, 1003).Select(_ => -5000 * random.NextDouble()).ToArray();
        var max = terms.Max();
        var expected = max + Math.Log(terms.Sum(t => Math.Exp(t - max)));

        Assert.Equal(expected, MixtureMath.LogSumExp(terms), 12);
    }

    [Fact]
    public void Snap_LogInteger_ScoresTheRoundedInteger()
    {
        var dim = Dimension.For("n", new IntDistribution(1, 100, Log: true));

        Assert.Equal(Math.Log(3), dim.Snap(Math.Log(3.4)), 12);
        Assert.Equal(Math.Log(100), dim.Snap(dim.High), 12);
        Assert.Equal(0, dim.Snap(dim.Low), 12);
    }
}
