namespace ChurnFlows.ML.Features;

/// <summary>How one model feature is computed from input columns.</summary>
public enum FeatureOperation
{
    /// <summary>The column's value as is.</summary>
    Column,

    /// <summary>Days from the column's date to the pipeline's reference date.</summary>
    DaysBefore,

    /// <summary>A / B (missing when B is 0 or either is missing).</summary>
    Ratio,

    /// <summary>A / max(B, 1).</summary>
    RatePerUnit,

    /// <summary>A × B, treating a missing B as 0 when A is 0.</summary>
    Product,

    /// <summary>1 when the days before the reference date of column A exceed <see cref="FeatureDefinition.Constant"/>, else 0.</summary>
    DaysBeforeExceeds,
}

/// <summary>One model feature: a name and how to compute it.</summary>
/// <param name="Name">The feature name (what explanations report).</param>
/// <param name="Operation">How it is computed.</param>
/// <param name="A">The first input column.</param>
/// <param name="B">The second input column, for two-column operations.</param>
/// <param name="Constant">The threshold of <see cref="FeatureOperation.DaysBeforeExceeds"/>.</param>
public sealed record FeatureDefinition(string Name, FeatureOperation Operation, string A, string? B = null, double Constant = 0);
