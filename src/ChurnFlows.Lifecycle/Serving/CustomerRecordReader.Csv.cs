using ChurnFlows.ML.Data;
using ChurnFlows.ML.Schema;

namespace ChurnFlows.Lifecycle.Serving;

/// <summary>Takes one CSV customer read: the model it was read by, its id and its inputs (valid only during the call).</summary>
internal delegate void CsvCustomerHandler(int model, string? id, ReadOnlySpan<double> inputs);

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
        var customers = new List<CustomerInputs>();
        ReadCsv(csv, [this], _ => 0, (_, id, inputs) => customers.Add(new CustomerInputs(id, inputs.ToArray())), errors, maximumCustomers);
        return customers;
    }

    /// <summary>
    /// Reads a CSV batch as <see cref="ReadCsv(TextReader, List{FieldError}, int)"/> does, each record by the
    /// reader <paramref name="route"/> picks from <paramref name="readers"/> for its customer id (as the
    /// first reader's schema reads it, or null), handing every record to <paramref name="add"/>.
    /// </summary>
    internal static void ReadCsv(TextReader csv, IReadOnlyList<CustomerRecordReader> readers, Func<string?, int> route, CsvCustomerHandler add, List<FieldError> errors, int maximumCustomers)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var records = new CsvRecordReader(csv);
        var fields = new List<string>();
        if (!records.TryRead(fields, out _, out _) || fields.All(string.IsNullOrWhiteSpace))
        {
            errors.Add(new FieldError("$", "the CSV is empty: send a header row, then one row per customer"));
            return;
        }

        var header = fields.Select(f => f.Trim()).ToList();
        var positions = readers.Select(r => r._inputColumns.Select(c => header.IndexOf(c)).ToArray()).ToArray();
        var idPositions = readers.Select(r => r._idColumn is null ? -1 : header.IndexOf(r._idColumn)).ToArray();
        var inputs = new double[positions.Max(p => p.Length)];
        var count = 0;
        while (records.TryRead(fields, out var line, out var error))
        {
            if (fields.Count == 1 && fields[0].Length == 0)
            {
                continue; // blank line
            }

            if (count == maximumCustomers)
            {
                errors.Add(new FieldError("$", $"a batch holds 1 to {maximumCustomers} customers; this one has more"));
                return;
            }

            var model = route(IdOf(fields, idPositions[0]));
            var row = inputs.AsSpan(0, positions[model].Length);
            row.Fill(double.NaN);
            if (error is not null || fields.Count != header.Count)
            {
                errors.Add(new FieldError($"[{count}]", $"line {line} {error ?? $"has {fields.Count} fields; the header has {header.Count}"}"));
            }
            else
            {
                readers[model].ReadCsvRecord(fields, positions[model], row, errors, count);
            }

            add(model, IdOf(fields, idPositions[model]), row);
            count++;
        }

        if (count == 0)
        {
            errors.Add(new FieldError("$", $"a batch holds 1 to {maximumCustomers} customers; this CSV has a header only"));
        }
    }

    private static string? IdOf(List<string> fields, int position) =>
        position >= 0 && position < fields.Count && fields[position].Trim() is { Length: > 0 } id ? id : null;

    private void ReadCsvRecord(List<string> fields, int[] positions, Span<double> inputs, List<FieldError> errors, int row)
    {
        for (var i = 0; i < positions.Length; i++)
        {
            if (ReadText(i, positions[i] >= 0 ? fields[positions[i]] : string.Empty, out inputs[i]) is { } problem)
            {
                errors.Add(new FieldError($"[{row}].{_inputColumns[i]}", problem));
            }
        }
    }

    /// <summary>Reads input <paramref name="input"/> from a CSV cell; returns the problem, or null.</summary>
    private string? ReadText(int input, string text, out double value)
    {
        value = double.NaN;
        var column = _columns[input];
        if (ValueParser.IsMissing(text))
        {
            return CheckMissing(column);
        }

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
                value = _vocabularies[input]?.Encode(text) ?? double.NaN;
                return null;
            default:
                return "this field cannot be scored";
        }
    }
}
