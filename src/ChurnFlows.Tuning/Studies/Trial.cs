namespace ChurnFlows.Tuning.Studies;

/// <summary>One trial of a study: suggest parameters, report progress, ask whether to prune.</summary>
public sealed class Trial
{
    private readonly Study _study;

    internal Trial(Study study, FrozenTrial frozen)
    {
        _study = study;
        Frozen = frozen;
    }

    /// <summary>Gets the trial number.</summary>
    public int Number => Frozen.Number;

    /// <summary>Gets the parameters suggested so far, as the objective saw them.</summary>
    public IReadOnlyDictionary<string, object> Params => _study.Locked(() => Frozen.ExternalParams);

    internal FrozenTrial Frozen { get; }

    /// <summary>Suggests a float in [low, high] (log-uniform when <paramref name="log"/>; on a grid when <paramref name="step"/> is set).</summary>
    public double SuggestFloat(string name, double low, double high, bool log = false, double? step = null) =>
        (double)Suggest(name, new FloatDistribution(low, high, log, step).Validate(name));

    /// <summary>Suggests an integer in [low, high].</summary>
    public int SuggestInt(string name, int low, int high, bool log = false, int step = 1) =>
        (int)Suggest(name, new IntDistribution(low, high, log, step).Validate(name));

    /// <summary>Suggests one of <paramref name="choices"/>.</summary>
    public string SuggestCategorical(string name, IReadOnlyList<string> choices) =>
        (string)Suggest(name, new CategoricalDistribution(choices).Validate(name));

    /// <summary>Reports an intermediate value at <paramref name="step"/> (used by pruners).</summary>
    public void Report(double value, int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        _study.Locked(() => Frozen.IntermediateValues[step] = value);
    }

    /// <summary>Returns whether the pruner says to stop this trial now.</summary>
    public bool ShouldPrune() => _study.Locked(() => _study.Pruner.Prune(_study.State, Frozen));

    /// <summary>Suggests a value from any distribution (double, int or string, per its kind).</summary>
    public object Suggest(string name, ParameterDistribution distribution)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(distribution);
        _ = distribution switch
        {
            FloatDistribution f => f.Validate(name),
            IntDistribution i => i.Validate(name),
            CategoricalDistribution c => (ParameterDistribution)c.Validate(name),
            _ => distribution,
        };
        return _study.Locked(() =>
        {
            if (Frozen.Distributions.TryGetValue(name, out var existing))
            {
                if (existing != distribution)
                {
                    throw new ArgumentException($"Parameter '{name}' was already suggested with a different range in trial {Number}.", nameof(name));
                }

                return existing.ToExternal(Frozen.Params[name]);
            }

            var value = _study.Sampler.SampleIndependent(_study.State, Frozen, name, distribution);
            Frozen.Distributions[name] = distribution;
            Frozen.Params[name] = value;
            return distribution.ToExternal(value);
        });
    }
}
