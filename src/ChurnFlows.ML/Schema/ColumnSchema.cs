namespace ChurnFlows.ML.Schema;

/// <summary>One column of a dataset schema.</summary>
public sealed record ColumnSchema
{
    /// <summary>Gets the column name as it appears in the CSV header.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the kind of values.</summary>
    public required ColumnKind Kind { get; init; }

    /// <summary>Gets whether the column may be empty. Ids and labels never may.</summary>
    public bool Nullable { get; init; } = true;

    /// <summary>Gets whether the CSV must contain the column (optional columns read as missing).</summary>
    public bool Required { get; init; } = true;

    /// <summary>Gets the allowed values of a categorical column (null: any).</summary>
    public IReadOnlyList<string>? AllowedValues { get; init; }

    /// <summary>Gets the exact date format of a date column (null: ISO 8601 and common variants).</summary>
    public string? DateFormat { get; init; }
}
