namespace ChurnFlows.ML.LightGbm;

/// <summary>
/// How missing values are made explicit before LightGBM sees them (ML.NET's missing-value replacement with
/// indicator columns): every missing cell of feature <c>j</c> becomes <see cref="Replacements"/>[j], and each
/// feature in <see cref="IndicatedFeatures"/> gains a 0/1 column that is 1 where the value was missing. LightGBM's
/// input is the <c>d</c> replaced features followed by the indicators, in that order.
/// </summary>
/// <remarks>
/// Why: ML.NET's public tree API hides the direction LightGBM learned for missing values, so a model trained on NaN
/// could not be imported exactly. With the values made explicit the direction is known at every split, and the
/// import folds it into <see cref="Trees.RegressionTree.DefaultLeft"/>: serving keeps reading NaN.
/// </remarks>
/// <param name="Replacements">Per feature, the value a missing cell is replaced with (the training mean, in single precision, as ML.NET computed it).</param>
/// <param name="IndicatedFeatures">The features that had missing values in training, ascending: one indicator column each.</param>
public sealed record MissingValueImputation(IReadOnlyList<float> Replacements, IReadOnlyList<int> IndicatedFeatures);
