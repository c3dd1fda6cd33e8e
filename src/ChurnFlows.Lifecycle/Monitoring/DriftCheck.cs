using ChurnFlows.ML.Drift;

namespace ChurnFlows.Lifecycle.Monitoring;

/// <summary>What one drift check found, and whether it asks for a retrain.</summary>
/// <param name="ModelVersion">The Production model checked (null: none yet).</param>
/// <param name="Predictions">Predictions it served in the window, as the log stands for them (a sampled entry counts its weight).</param>
/// <param name="DriftedFeatures">Features whose PSI or KS passed the drift thresholds.</param>
/// <param name="PredictionPsi">PSI of the predicted probabilities against the holdout's, if measured.</param>
/// <param name="ModelAgeDays">Days since the model was trained.</param>
/// <param name="NewerDatasets">Accepted datasets newer than the model's.</param>
/// <param name="LabelledOutcomes">Outcomes matched to a logged prediction.</param>
/// <param name="LabelledAreaUnderRocCurve">ROC-AUC on those outcomes, if measurable.</param>
/// <param name="Triggers">The reasons to retrain, in words; empty when none fired.</param>
/// <param name="Features">Per-feature PSI and KS.</param>
public sealed record DriftCheck(
    string? ModelVersion,
    long Predictions,
    IReadOnlyList<string> DriftedFeatures,
    double? PredictionPsi,
    double ModelAgeDays,
    int NewerDatasets,
    int LabelledOutcomes,
    double? LabelledAreaUnderRocCurve,
    IReadOnlyList<string> Triggers,
    IReadOnlyList<FeatureDrift> Features);
