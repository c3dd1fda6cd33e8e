using System.Text.Json;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Schema;

namespace ChurnFlows.Lifecycle.Serving;

/// <summary>
/// Reads one customer from a JSON object into the pipeline's input order, by the model's schema:
/// numbers as JSON numbers (counts must be whole and not negative), dates as <c>yyyy-MM-dd</c> strings, Booleans as
/// true/false, categoricals as strings; absent or null fields are missing values. Every problem is
/// collected with its field name; nothing throws for bad input.
/// </summary>
public sealed class CustomerRecordReader(DatasetSchema schema, IReadOnlyList<string> inputColumns)
{
    private readonly Dictionary<string, ColumnSchema> _columns = schema.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
    private readonly string? _idColumn = schema.Columns.FirstOrDefault(c => c.Kind == ColumnKind.Id)?.Name;

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
        for (var i = 0; i < inputColumns.Count; i++)
        {
            var name = inputColumns[i];
            inputs[i] = double.NaN;
            if (!customer.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            var column = _columns[name];
            var problem = column.Kind switch
            {
                ColumnKind.Numeric or ColumnKind.Integer => ReadNumber(value, column, out inputs[i]),
                ColumnKind.Date => value.ValueKind == JsonValueKind.String && ValueParser.TryParseDate(value.GetString(), column.DateFormat, out inputs[i], out var dateError) ? null : "expected a date string (yyyy-MM-dd)",
                ColumnKind.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? Assign(value.GetBoolean() ? 1 : 0, out inputs[i]) : "expected true or false",
                _ => "this field cannot be scored",
            };
            if (problem is not null)
            {
                errors.Add(new FieldError(prefix + name, problem));
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
