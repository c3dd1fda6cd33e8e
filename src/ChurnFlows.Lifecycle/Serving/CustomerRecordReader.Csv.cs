using ChurnFlows.ML.Data;
using ChurnFlows.ML.Schema;

namespace ChurnFlows.Lifecycle.Serving;

public sealed partial class CustomerRecordReader
{
    /// <summary>
    /// Reads a CSV batch: a header naming the columns (any order; unknown ones ignored, absent ones missing,
    /// no label needed), then one customer per record, cells in the same forms as a training CSV. Problems
    /// are added to <paramref name="errors"/> named like a JSON batch's (<c>[3].total_spent</c>, by 0-based
    /// customer), and a batch over <paramref name="maximumCustomers"/> is refused as a whole (<c>$</c>).
    /// </summary>
    public IReadOnlyList<CustomerInputs> ReadCsv(TextReader csv, List<FieldError> errors, int maximumCustomers)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var records = new CsvRecordReader(csv);
        var fields = new List<string>();
        if (!records.TryRead(fields, out _, out _) || fields.All(string.IsNullOrWhiteSpace))
        {
            errors.Add(new FieldError("$", "the CSV is empty: send a header row, then one row per customer"));
            return [];
        }

        var header = fields.Select(f => f.Trim()).ToList();
        var positions = _inputColumns.Select(c => header.IndexOf(c)).ToArray();
        var idPosition = _idColumn is null ? -1 : header.IndexOf(_idColumn);
        var customers = new List<CustomerInputs>();
        while (records.TryRead(fields, out var line, out var error))
        {
            if (fields.Count == 1 && fields[0].Length == 0)
            {
                continue; // blank line
            }

            if (customers.Count == maximumCustomers)
            {
                errors.Add(new FieldError("$", $"a batch holds 1 to {maximumCustomers} customers; this one has more"));
                return customers;
            }

            var prefix = $"[{customers.Count}]";
            var inputs = new double[positions.Length];
            if (error is not null || fields.Count != header.Count)
            {
                errors.Add(new FieldError(prefix, $"line {line} {error ?? $"has {fields.Count} fields; the header has {header.Count}"}"));
            }
            else
            {
                for (var i = 0; i < positions.Length; i++)
                {
                    if (ReadText(i, positions[i] >= 0 ? fields[positions[i]] : string.Empty, out inputs[i]) is { } problem)
                    {
                        errors.Add(new FieldError($"{prefix}.{_inputColumns[i]}", problem));
                    }
                }
            }

            var id = idPosition >= 0 && idPosition < fields.Count ? fields[idPosition].Trim() : string.Empty;
            customers.Add(new CustomerInputs(id.Length == 0 ? null : id, inputs));
        }

        if (customers.Count == 0)
        {
            errors.Add(new FieldError("$", $"a batch holds 1 to {maximumCustomers} customers; this CSV has a header only"));
        }

        return customers;
    }

    /// <summary>Reads input <paramref name="input"/> from a CSV cell; returns the problem, or null.</summary>
    private string? ReadText(int input, string text, out double value)
    {
        value = double.NaN;
        if (ValueParser.IsMissing(text))
        {
            return null;
        }

        var column = _columns[input];
        string? error;
        switch (column.Kind)
        {
            case ColumnKind.Numeric or ColumnKind.Integer:
                return ValueParser.TryParseNumber(text, wholeNumber: false, out var number, out error) ? CheckNumber(number, column, out value) : error;
            case ColumnKind.Date:
                return ValueParser.TryParseDate(text, column.DateFormat, out value, out error) ? null : error;
            case ColumnKind.Boolean:
                return ValueParser.TryParseBinary(text, out value) ? null : $"'{text}' is not one of true/false, yes/no, 1/0";
            case ColumnKind.Categorical:
                value = Encode(_vocabularies[input], text);
                return null;
            default:
                return "this field cannot be scored";
        }
    }
}
