using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Tuning.Samplers;

/// <summary>Proposes parameter values. Implementations are pure functions of the study state, the seed and the trial number.</summary>
public interface ISampler
{
    /// <summary>Samples one parameter of <paramref name="trial"/> (define-by-run).</summary>
    double SampleIndependent(StudyState study, FrozenTrial trial, string name, ParameterDistribution distribution);

    /// <summary>Samples several parameters jointly (fixed search space); the default samples each independently.</summary>
    IReadOnlyDictionary<string, double> SampleRelative(StudyState study, FrozenTrial trial, IReadOnlyDictionary<string, ParameterDistribution> space) =>
        space.ToDictionary(p => p.Key, p => SampleIndependent(study, trial, p.Key, p.Value), StringComparer.Ordinal);
}

/// <summary>Uniform random sampling (log-uniform for log ranges), seeded per trial and parameter.</summary>
public sealed class RandomSampler : ISampler
{
    /// <inheritdoc />
    public double SampleIndependent(StudyState study, FrozenTrial trial, string name, ParameterDistribution distribution)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        return Sample(TpeDefaults.RandomFor(study.Seed, trial.Number, name), distribution);
    }

    internal static double Sample(Random random, ParameterDistribution distribution)
    {
        var dim = Dimension.For("x", distribution);
        if (dim.Choices > 0)
        {
            return random.Next(dim.Choices);
        }

        return Dimension.FromWorking(distribution, dim.Low + (random.NextDouble() * (dim.High - dim.Low)));
    }
}
