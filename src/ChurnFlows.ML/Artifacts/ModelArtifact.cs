using ChurnFlows.ML.Drift;
using ChurnFlows.ML.Evaluation;
using ChurnFlows.ML.Features;
using ChurnFlows.ML.Schema;
using ChurnFlows.ML.Trees;

namespace ChurnFlows.ML.Artifacts;

/// <summary>
/// Everything needed to serve, explain, monitor and audit one model, saved as one versioned,
/// self-describing file by <see cref="ModelArtifactSerializer"/>: the input schema, the fitted
/// feature pipeline, the trees, the decision threshold, holdout metrics, drift references and lineage.
/// </summary>
public sealed record ModelArtifact
{
    /// <summary>Gets the model version (assigned by the registry, e.g. <c>v0007</c>).</summary>
    public required string Version { get; init; }

    /// <summary>Gets when the model was trained.</summary>
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Gets the schema requests and datasets are read with.</summary>
    public required DatasetSchema Schema { get; init; }

    /// <summary>Gets the fitted feature pipeline.</summary>
    public required FeaturePipeline Pipeline { get; init; }

    /// <summary>Gets the trained ensemble.</summary>
    public required GbdtModel Model { get; init; }

    /// <summary>Gets the probability at or above which a customer is predicted to churn.</summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>Gets the holdout evaluation.</summary>
    public EvaluationReport? Metrics { get; init; }

    /// <summary>Gets the training-data histograms of every feature (the drift reference).</summary>
    public IReadOnlyList<FeatureHistogram> ReferenceHistograms { get; init; } = [];

    /// <summary>Gets the histogram of predicted probabilities on the holdout (prediction-drift reference).</summary>
    public FeatureHistogram? PredictionHistogram { get; init; }

    /// <summary>Gets the lineage.</summary>
    public ModelLineage Lineage { get; init; } = new();
}
