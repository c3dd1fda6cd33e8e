using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Tuning.Samplers;

/// <summary>
/// Tree-structured Parzen Estimator with Optuna's semantics and defaults: random for the first 10
/// finished trials, then split finished trials into good (best γ(n)) and bad, model each with a
/// Parzen estimator, draw 24 candidates from the good model and keep the one maximizing
/// log l(x) − log g(x). Pruned trials rank after completed ones by depth, then by their last value.
/// With constant liar (on by default here), running trials count as bad, so a parallel batch spreads out.
/// </summary>
public sealed class TpeSampler : ISampler
{
    private readonly Options _options;

    /// <summary>Creates a sampler.</summary>
    public TpeSampler(Options? options = null) => _options = options ?? new Options();

    /// <summary>TPE settings (Optuna's names, .NET-style).</summary>
    public sealed record Options
    {
        /// <summary>Gets how many finished trials are sampled at random first (10).</summary>
        public int NumberOfStartupTrials { get; init; } = 10;

        /// <summary>Gets how many candidates are scored per suggestion (24).</summary>
        public int NumberOfEiCandidates { get; init; } = 24;

        /// <summary>Gets whether parameters of a fixed search space are modelled jointly.</summary>
        public bool Multivariate { get; init; }

        /// <summary>Gets whether running trials count as bad observations (for parallel batches).</summary>
        public bool ConstantLiar { get; init; } = true;
    }

    /// <inheritdoc />
    public double SampleIndependent(StudyState study, FrozenTrial trial, string name, ParameterDistribution distribution)
    {
        var single = new Dictionary<string, ParameterDistribution>(StringComparer.Ordinal) { [name] = distribution };
        return Sample(study, trial, single, multivariate: false)[name];
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> SampleRelative(StudyState study, FrozenTrial trial, IReadOnlyDictionary<string, ParameterDistribution> space)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (_options.Multivariate)
        {
            return Sample(study, trial, space, multivariate: true);
        }

        return space.ToDictionary(p => p.Key, p => SampleIndependent(study, trial, p.Key, p.Value), StringComparer.Ordinal);
    }

    private Dictionary<string, double> Sample(StudyState study, FrozenTrial trial, IReadOnlyDictionary<string, ParameterDistribution> space, bool multivariate)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        var names = space.Keys.Order(StringComparer.Ordinal).ToArray();
        var random = TpeDefaults.RandomFor(study.Seed, trial.Number, "tpe:" + string.Join(',', names));
        var finished = study.Trials.Count(t => t.State is TrialState.Complete or TrialState.Pruned);
        if (finished < _options.NumberOfStartupTrials)
        {
            return names.ToDictionary(n => n, n => RandomSampler.Sample(random, space[n]), StringComparer.Ordinal);
        }

        var (below, above) = Split(study, trial, space, names);
        var dims = names.Select(n => Dimension.For(n, space[n])).ToArray();
        var good = new ParzenEstimator(dims, below, multivariate);
        var bad = new ParzenEstimator(dims, above, multivariate);
        double[]? best = null;
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < _options.NumberOfEiCandidates; i++)
        {
            var candidate = good.Sample(random);
            var score = good.LogPdf(candidate) - bad.LogPdf(candidate);
            if (best is null || score > bestScore)
            {
                (best, bestScore) = (candidate, score);
            }
        }

        return names.Select((n, d) => (n, d)).ToDictionary(x => x.n, x => Dimension.FromWorking(space[x.n], best![x.d]), StringComparer.Ordinal);
    }

    private (List<double[]> Below, List<double[]> Above) Split(StudyState study, FrozenTrial trial, IReadOnlyDictionary<string, ParameterDistribution> space, string[] names)
    {
        var usable = study.Trials.Where(t => t.Number != trial.Number && names.All(n => t.Params.ContainsKey(n) && t.Distributions[n] == space[n])).ToList();
        var sign = study.Direction == StudyDirection.Minimize ? 1 : -1;
        var complete = usable.Where(t => t.State == TrialState.Complete && t.Value is not null).OrderBy(t => sign * t.Value!.Value).ThenBy(t => t.Number);
        var pruned = usable.Where(t => t.State == TrialState.Pruned)
            .OrderByDescending(t => t.LastStep ?? -1)
            .ThenBy(t => t.LastStep is { } s && !double.IsNaN(t.IntermediateValues[s]) ? sign * t.IntermediateValues[s] : double.PositiveInfinity)
            .ThenBy(t => t.Number);
        var ranked = complete.Concat(pruned).ToList();
        var nBelow = TpeDefaults.Gamma(ranked.Count);
        var running = _options.ConstantLiar ? usable.Where(t => t.State == TrialState.Running) : [];
        double[] Point(FrozenTrial t) => [.. names.Select(n => space[n] is CategoricalDistribution ? t.Params[n] : Dimension.ToWorking(space[n], t.Params[n]))];
        var below = ranked.Take(nBelow).OrderBy(t => t.Number).Select(Point).ToList();
        var above = ranked.Skip(nBelow).Concat(running).OrderBy(t => t.Number).Select(Point).ToList();
        return (below, above);
    }
}
