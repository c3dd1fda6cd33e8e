namespace ChurnFlows.ML.Synthetic;

/// <summary>How synthetic churn data is generated.</summary>
public sealed record SyntheticChurnOptions
{
    /// <summary>Gets the number of rows.</summary>
    public int Rows { get; init; } = 10_000;

    /// <summary>Gets the seed; the same seed and options give the same bytes.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Gets the date the snapshot is taken (recency is measured from it).</summary>
    public DateOnly AsOf { get; init; } = new(2026, 6, 30);

    /// <summary>Gets how strongly the population has drifted (0: none; 1: a marked shift in engagement and support).</summary>
    public double Drift { get; init; }

    /// <summary>Gets the share of cells left empty in the columns that may be missing.</summary>
    public double MissingRate { get; init; } = 0.02;

    /// <summary>Gets the first customer number (ids are <c>C{number:D7}</c>).</summary>
    public int FirstCustomerNumber { get; init; } = 1;
}
