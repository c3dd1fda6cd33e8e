namespace ChurnFlows.Lifecycle.Registry;

/// <summary>A registered model version.</summary>
public sealed record ModelRecord
{
    /// <summary>Gets the version (the artifact is <c>churn-models/{Version}.cfm</c>).</summary>
    public required string Version { get; init; }

    /// <summary>Gets the stage.</summary>
    public ModelStage Stage { get; init; }

    /// <summary>Gets when it was registered.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets the run that trained it.</summary>
    public string? RunId { get; init; }

    /// <summary>Gets the dataset it was trained on (content hash).</summary>
    public string? DatasetSha256 { get; init; }

    /// <summary>Gets its holdout metrics.</summary>
    public ModelMetrics? Metrics { get; init; }

    /// <summary>Gets the promotion decision: <c>pending</c>, <c>promoted</c> or <c>rejected</c>.</summary>
    public string Decision { get; init; } = "pending";

    /// <summary>Gets the decision's reasons, one per gate.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>Gets when it last became Production.</summary>
    public DateTimeOffset? PromotedAt { get; init; }

    /// <summary>Gets the Production version it replaced (what a rollback returns to).</summary>
    public string? PreviousProduction { get; init; }
}
