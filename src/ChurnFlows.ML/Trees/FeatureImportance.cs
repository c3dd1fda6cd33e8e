namespace ChurnFlows.ML.Trees;

/// <summary>One feature's global importance in a tree ensemble.</summary>
/// <param name="Name">The feature name.</param>
/// <param name="Gain">The total split gain of every split on the feature (LightGBM's "gain" importance).</param>
/// <param name="SplitCount">How many splits use the feature (LightGBM's "split" importance).</param>
public sealed record FeatureImportance(string Name, double Gain, int SplitCount);
