using System.Runtime.CompilerServices;
using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Tuning.Samplers;

/// <summary>
/// Tree-structured Parzen Estimator with Optuna 3.1's semantics and defaults: random for the first 10
/// finished trials, then split finished trials into good (best γ(n)) and bad, model each with a
/// Parzen estimator, draw 24 candidates from the good model and keep the one maximizing
/// log l(x) − log g(x). Pruned trials rank after completed ones by depth, then by their last value.
/// With constant liar (on by default here), running trials count as bad, so a parallel batch spreads out.
/// </summary>
/// <remarks>
/// The sampling path is compiled fully optimized on first use (<see cref="MethodImplOptions.AggressiveOptimization"/>):
/// a study makes only hundreds of suggestions, so unoptimized tier-0 code would otherwise serve most of them.
/// </remarks>
public sealed partial class TpeSampler : ISampler
{
    private readonly Options _options;

    /// <summary>Creates a sampler.</summary>
    public TpeSampler(Options? options = null) => _options = options ?? new Options();

    /// <summary>Optuna's default for <see cref="Options.NumberOfStartupTrials"/>.</summary>
    public const int DefaultStartupTrials = 10;

    /// <summary>TPE settings (Optuna's names, .NET-style).</summary>
    public sealed record Options
    {
        /// <summary>Gets how many finished trials are sampled at random first (10).</summary>
        public int NumberOfStartupTrials { get; init; } = DefaultStartupTrials;

        /// <summary>Gets how many candidates are scored per suggestion (24).</summary>
        public int NumberOfEiCandidates { get; init; } = 24;

        /// <summary>Gets whether parameters of a fixed search space are modelled jointly.</summary>
        public bool Multivariate { get; init; }

        /// <summary>Gets whether running trials count as bad observations (for parallel batches).</summary>
        public bool ConstantLiar { get; init; } = true;

        /// <summary>
        /// Gets whether candidates are scored with continuous kernels weighted by their bandwidth (on by
        /// default). Optuna 3.1 scores this way (its truncated-normal log-pdf does not subtract log σ), and
        /// it finds better optima on standard test functions than the strictly normalized mixture, which
        /// over-trusts the narrow kernels of clustered bad trials.
        /// </summary>
        public bool WeightKernelsByBandwidth { get; init; } = true;
    }

    /// <inheritdoc />
    public double SampleIndependent(StudyState study, FrozenTrial trial, string name, ParameterDistribution distribution)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(distribution);
        return Sample(study, trial, [name], [distribution], multivariate: false)[0];
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> SampleRelative(StudyState study, FrozenTrial trial, IReadOnlyDictionary<string, ParameterDistribution> space)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(space);
        var result = new Dictionary<string, double>(space.Count, StringComparer.Ordinal);
        if (_options.Multivariate)
        {
            var names = space.Keys.Order(StringComparer.Ordinal).ToArray();
            var values = Sample(study, trial, names, [.. names.Select(n => space[n])], multivariate: true);
            for (var d = 0; d < names.Length; d++)
            {
                result[names[d]] = values[d];
            }

            return result;
        }

        foreach (var (name, distribution) in space)
        {
            result[name] = Sample(study, trial, [name], [distribution], multivariate: false)[0];
        }

        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double[] Sample(StudyState study, FrozenTrial trial, string[] names, ParameterDistribution[] space, bool multivariate)
    {
        var random = TpeDefaults.RandomFor(study.Seed, trial.Number, "tpe:" + string.Join(',', names));
        var result = new double[names.Length];
        if (CountFinished(study) < _options.NumberOfStartupTrials)
        {
            for (var d = 0; d < names.Length; d++)
            {
                result[d] = RandomSampler.Sample(random, space[d]);
            }

            return result;
        }

        var (below, above) = Split(study, trial.Number, names, space);
        var dims = new Dimension[names.Length];
        for (var d = 0; d < dims.Length; d++)
        {
            dims[d] = Dimension.For(names[d], space[d]);
        }

        var good = new ParzenEstimator(dims, below, multivariate, _options.WeightKernelsByBandwidth);
        var bad = new ParzenEstimator(dims, above, multivariate, _options.WeightKernelsByBandwidth);
        Span<double> candidate = stackalloc double[dims.Length];
        var best = new double[dims.Length];
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < _options.NumberOfEiCandidates; i++)
        {
            good.Sample(random, candidate);
            var score = good.LogPdf(candidate) - bad.LogPdf(candidate);
            if (i == 0 || score > bestScore)
            {
                candidate.CopyTo(best);
                bestScore = score;
            }
        }

        for (var d = 0; d < dims.Length; d++)
        {
            result[d] = Dimension.FromWorking(space[d], best[d]);
        }

        return result;
    }

    private static int CountFinished(StudyState study)
    {
        var finished = 0;
        foreach (var t in study.Trials)
        {
            finished += t.State is TrialState.Complete or TrialState.Pruned ? 1 : 0;
        }

        return finished;
    }
}
