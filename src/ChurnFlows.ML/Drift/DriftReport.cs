namespace ChurnFlows.ML.Drift;

/// <summary>Thresholds for calling drift.</summary>
public sealed record DriftOptions
{
    /// <summary>Gets the PSI at which a feature counts as moderately shifted (0.1 by convention).</summary>
    public double PsiWarning { get; init; } = 0.1;

    /// <summary>Gets the PSI at which a feature counts as drifted (0.25 by convention).</summary>
    public double PsiDrift { get; init; } = 0.25;

    /// <summary>Gets the KS statistic at which a feature counts as drifted.</summary>
    public double KsDrift { get; init; } = 0.2;

    /// <summary>Gets how many current rows are needed before any verdict (fewer: no drift is called).</summary>
    public int MinimumCount { get; init; } = 200;
}

/// <summary>Drift of one feature.</summary>
/// <param name="Feature">The feature name.</param>
/// <param name="Psi">Population stability index over the reference bins (missing bin included).</param>
/// <param name="Ks">Kolmogorov–Smirnov statistic over the binned distributions.</param>
/// <param name="Severity">none, moderate or drift.</param>
public sealed record FeatureDrift(string Feature, double Psi, double Ks, string Severity);

/// <summary>A drift check's outcome: per feature and for the predictions.</summary>
/// <param name="CurrentCount">Rows compared.</param>
/// <param name="Features">Per-feature drift, most drifted first.</param>
/// <param name="Prediction">Drift of the predicted probabilities, when a reference exists.</param>
/// <param name="Drifted">Whether any feature or the predictions drifted.</param>
public sealed record DriftReport(long CurrentCount, IReadOnlyList<FeatureDrift> Features, FeatureDrift? Prediction, bool Drifted)
{
    /// <summary>Gets the names of drifted features.</summary>
    public IEnumerable<string> DriftedFeatures => Features.Where(f => f.Severity == "drift").Select(f => f.Feature);
}
