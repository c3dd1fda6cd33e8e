namespace ChurnFlows.Lifecycle.Training;

/// <summary>Quality gates a candidate must pass to be promoted (the product requirements' defaults).</summary>
/// <param name="MinimumAreaUnderRocCurve">Holdout ROC-AUC at least this (0.85).</param>
/// <param name="MinimumRecall">Recall at the decision threshold at least this (0.75).</param>
/// <param name="MinimumPrecision">Precision at the decision threshold at least this (0.70).</param>
public sealed record PromotionThresholds(double MinimumAreaUnderRocCurve = 0.85, double MinimumRecall = 0.75, double MinimumPrecision = 0.70);

/// <summary>How a model is tuned and trained.</summary>
public sealed record TrainingOptions
{
    /// <summary>Gets the number of tuning trials.</summary>
    public int Trials { get; init; } = 20;

    /// <summary>Gets how many trials run at once.</summary>
    public int Parallelism { get; init; } = 2;

    /// <summary>Gets the most boosting rounds per model.</summary>
    public int MaximumIterations { get; init; } = 500;

    /// <summary>Gets the early-stopping patience.</summary>
    public int EarlyStoppingRounds { get; init; } = 30;

    /// <summary>Gets the seed of the split, the study and the trainer.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Gets the promotion gates.</summary>
    public PromotionThresholds Thresholds { get; init; } = new();
}

/// <summary>Whether a candidate may be promoted, and why.</summary>
/// <param name="Promote">The verdict.</param>
/// <param name="Reasons">Each gate's outcome, in words.</param>
public sealed record PromotionDecision(bool Promote, IReadOnlyList<string> Reasons);
