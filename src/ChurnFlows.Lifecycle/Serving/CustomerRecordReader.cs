using System.Text.Json;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Features;
using ChurnFlows.ML.Schema;

namespace ChurnFlows.Lifecycle.Serving;

/// <summary>
/// Reads one customer into the pipeline's input order, by the model's schema, from a JSON object or a CSV
/// row: numbers as numbers (counts must be whole and not negative), dates as <c>yyyy-MM-dd</c> strings,
/// Booleans as true/false, categoricals as strings (a JSON number or Boolean is taken in its text form)
/// encoded by the model's vocabulary, where an unknown category is "other", never an error; absent, null
/// or empty fields are missing values. Every problem is collected with its field name; nothing throws for
/// bad input.
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

    /// <summary>Returns the customer's id (the schema's id column, when it holds a string), or null.</summary>
    public string? ReadId(JsonElement customer) =>
        _idColumn is not null && customer.ValueKind == JsonValueKind.Object && customer.TryGetProperty(_idColumn, out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    /// <summary>Fills <paramref name="inputs"/> from <paramref name="customer"/>; returns the customer id, adding problems to <paramref name="errors"/>.</summary>
    public string? Read(JsonElement customer, Span<double> inputs, List<FieldError> errors, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (customer.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(prefix.Length == 0 ? "$" : prefix.TrimEnd('.'), $"expected a JSON object, got {customer.ValueKind}"));
            return null;
        }

        var id = ReadId(customer);
        for (var i = 0; i < _inputColumns.Count; i++)
        {
            inputs[i] = double.NaN;
            if (!customer.TryGetProperty(_inputColumns[i], out var value) || value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            var column = _columns[i];
            var problem = column.Kind switch
            {
                ColumnKind.Numeric or ColumnKind.Integer => ReadNumber(value, column, out inputs[i]),
                ColumnKind.Date => value.ValueKind == JsonValueKind.String && ValueParser.TryParseDate(value.GetString(), column.DateFormat, out inputs[i], out _) ? null : "expected a date string (yyyy-MM-dd)",
                ColumnKind.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? Assign(value.GetBoolean() ? 1 : 0, out inputs[i]) : "expected true or false",
                ColumnKind.Categorical => ReadCategory(value, _vocabularies[i], out inputs[i]),
                _ => "this field cannot be scored",
            };
            if (problem is not null)
            {
                errors.Add(new FieldError(prefix + _inputColumns[i], problem));
            }
        }

        return id;
    }

    private static string? ReadNumber(JsonElement value, ColumnSchema column, out double result)
    {
        result = double.NaN;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number))
        {
            return $"expected a number, got {value.ValueKind.ToString().ToLowerInvariant()}";
        }

        return CheckNumber(number, column, out result);
    }

    private static string? CheckNumber(double number, ColumnSchema column, out double result)
    {
        result = double.NaN;
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

    /// <summary>A category as text: a string, or a number or Boolean in its JSON form; objects and arrays are refused.</summary>
    private static string? ReadCategory(JsonElement value, CategoryVocabulary? vocabulary, out double result)
    {
        result = double.NaN;
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => null,
        };
        if (text is null)
        {
            return $"expected a category string, got {value.ValueKind.ToString().ToLowerInvariant()}";
        }

        return Assign(Encode(vocabulary, text), out result);
    }

    /// <summary>A model saved before vocabularies were stored cannot encode categories: they are missing.</summary>
    private static double Encode(CategoryVocabulary? vocabulary, string text) => vocabulary?.Encode(text) ?? double.NaN;

    private static string? Assign(double value, out double target)
    {
        target = value;
        return null;
    }
}
