namespace ChurnFlows.ML.Validation;

/// <summary>
/// One data-quality rule. <see cref="Type"/> is one of: <c>requiredColumns</c>, <c>maxMalformedRatio</c>
/// (max), <c>notNull</c> (column), <c>maxNullRatio</c> (column, max), <c>between</c> (column, min and/or max),
/// <c>inSet</c> (column, values), <c>unique</c> (column), <c>minRows</c> (min), <c>positiveRatio</c> (min and/or max).
/// </summary>
public sealed record Expectation
{
    /// <summary>Gets the rule type.</summary>
    public required string Type { get; init; }

    /// <summary>Gets the column the rule checks, for column rules.</summary>
    public string? Column { get; init; }

    /// <summary>Gets the lower bound.</summary>
    public double? Min { get; init; }

    /// <summary>Gets the upper bound.</summary>
    public double? Max { get; init; }

    /// <summary>Gets the allowed values of <c>inSet</c>.</summary>
    public IReadOnlyList<string>? Values { get; init; }

    /// <summary>Gets a readable name, e.g. <c>between(feature_usage_score)</c>.</summary>
    public string Name => Column is null ? Type : $"{Type}({Column})";
}

/// <summary>The outcome of one expectation.</summary>
/// <param name="Expectation">The rule's name.</param>
/// <param name="Column">The column, if any.</param>
/// <param name="Passed">Whether the data met it.</param>
/// <param name="Observed">What was measured.</param>
/// <param name="Expected">What the rule demands.</param>
/// <param name="Examples">Up to 10 offending rows ("line N: value").</param>
public sealed record ExpectationResult(string Expectation, string? Column, bool Passed, string Observed, string Expected, IReadOnlyList<string> Examples);
