using ChurnFlows.ML.Features;
using ChurnFlows.ML.Schema;

namespace ChurnFlows.Lifecycle.Serving;

/// <summary>
/// Reads one customer into the pipeline's input order, by the model's schema, from a JSON object's values
/// or a CSV row: numbers as numbers (counts must be whole and not negative), dates as <c>yyyy-MM-dd</c>
/// strings, Booleans as true/false, categoricals as strings (a JSON number or Boolean is taken in its text
/// form) encoded by the model's vocabulary, where an unknown category is "other", never an error; absent,
/// null or empty fields are missing values, except in a column the schema marks not nullable; numbers beyond
/// a double's range are refused. Every problem is collected with its field name; nothing throws for bad input.
/// </summary>
public sealed partial class CustomerRecordReader
{
    private readonly IReadOnlyList<string> _inputColumns;
    private readonly ColumnSchema[] _columns;
    private readonly CategoryVocabulary?[] _vocabularies;
    private readonly string? _idColumn;

    /// <summary>Creates a reader for a model's schema and fitted pipeline.</summary>
    public CustomerRecordReader(DatasetSchema schema, FeaturePipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(pipeline);
        _inputColumns = pipeline.InputColumns;
        _columns = [.. _inputColumns.Select(c => schema.Find(c) ?? throw new ArgumentException($"The pipeline's input '{c}' is not in the schema.", nameof(pipeline)))];
        _vocabularies = [.. _inputColumns.Select(pipeline.VocabularyOf)];
        _idColumn = schema.Columns.FirstOrDefault(c => c.Kind == ColumnKind.Id)?.Name;
    }

    /// <summary>Gets the pipeline's input columns, in the order the reader fills inputs.</summary>
    internal IReadOnlyList<string> InputColumns => _inputColumns;

    /// <summary>Gets the schema's id column, or null.</summary>
    internal string? IdColumn => _idColumn;

    /// <summary>
    /// The name a problem with customer <paramref name="row"/> of a batch is filed under: <c>[3].total_spent</c>
    /// for a field, <c>[3]</c> for the customer as a whole; for the only customer of a request (a negative
    /// <paramref name="row"/>), the field's name, or <c>$</c> for the body as a whole.
    /// </summary>
    internal static string FieldName(int row, string? field = null) =>
        row < 0 ? field ?? "$" : field is null ? $"[{row}]" : $"[{row}].{field}";

    /// <summary>The problem with an absent, null or empty field: none, unless the schema says the column is not nullable.</summary>
    private static string? CheckMissing(ColumnSchema column) =>
        column.Nullable ? null : "is required: the model's schema does not allow this field to be missing";

    private static string? CheckNumber(double number, ColumnSchema column, out double result)
    {
        result = double.NaN;
        if (!double.IsFinite(number))
        {
            return "is out of range (beyond ±1.8E+308)";
        }

        if (column.Kind == ColumnKind.Integer && number < 0)
        {
            return $"must not be negative (got {number})";
        }

        if (column.Kind == ColumnKind.Integer && number != Math.Floor(number))
        {
            return $"expected a whole number (got {number})";
        }

        result = number;
        return null;
    }

    private static string? Assign(double value, out double target)
    {
        target = value;
        return null;
    }
}
