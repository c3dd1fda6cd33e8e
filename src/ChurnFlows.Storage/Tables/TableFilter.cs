using System.Globalization;

namespace ChurnFlows.Storage.Tables;

/// <summary>Builds OData filter strings with correctly quoted literals.</summary>
public static class TableFilter
{
    /// <summary>Quotes a string literal (single quotes doubled).</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary><c>PartitionKey eq '…'</c>.</summary>
    public static string PartitionKeyEquals(string partitionKey) => "PartitionKey eq " + Literal(partitionKey);

    /// <summary><c>name eq '…'</c> for a string property.</summary>
    public static string Equal(string property, string value) => $"{property} eq {Literal(value)}";

    /// <summary>A date-time literal for comparisons (<c>datetime'…'</c>).</summary>
    public static string Literal(DateTimeOffset value) =>
        "datetime'" + value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture) + "'";

    /// <summary>Joins clauses with <c>and</c>, skipping empty ones.</summary>
    public static string And(params string?[] clauses) =>
        string.Join(" and ", clauses.Where(c => !string.IsNullOrEmpty(c)).Select(c => "(" + c + ")"));
}
