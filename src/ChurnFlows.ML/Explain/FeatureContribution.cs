namespace ChurnFlows.ML.Explain;

/// <summary>One feature's SHAP contribution to one prediction, in raw-score (log-odds) units.</summary>
/// <param name="FeatureIndex">The feature's column index.</param>
/// <param name="Name">The feature's name.</param>
/// <param name="Value">The feature's value in the explained row (NaN = missing).</param>
/// <param name="Contribution">How much the feature moved the raw score away from the expected value; positive pushes towards churn.</param>
public readonly record struct FeatureContribution(int FeatureIndex, string Name, double Value, double Contribution);
