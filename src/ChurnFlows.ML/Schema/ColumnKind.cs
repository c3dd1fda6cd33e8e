namespace ChurnFlows.ML.Schema;

/// <summary>What a column holds and how the reader parses it.</summary>
public enum ColumnKind
{
    /// <summary>A floating-point number.</summary>
    Numeric,

    /// <summary>A whole number (parsed as a number; fractional values are reported).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "Schema files say \"integer\", as every schema language does.")]
    Integer,

    /// <summary>A category from a small set of strings (dictionary-encoded).</summary>
    Categorical,

    /// <summary>A date (ISO 8601 or the column's format), kept as days since 1970-01-01.</summary>
    Date,

    /// <summary>true/false, yes/no or 1/0, kept as 1 or 0.</summary>
    Boolean,

    /// <summary>A record identifier; never a feature.</summary>
    Id,

    /// <summary>The binary target: 1/0, yes/no, true/false.</summary>
    Label,
}
