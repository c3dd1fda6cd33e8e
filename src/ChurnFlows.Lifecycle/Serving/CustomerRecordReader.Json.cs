using System.Buffers;
using System.Text;
using System.Text.Json;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Schema;

namespace ChurnFlows.Lifecycle.Serving;

public sealed partial class CustomerRecordReader
{
    /// <summary>
    /// Fills <paramref name="inputs"/> from a customer's property values read from the UTF-8 JSON
    /// <paramref name="body"/> (input <c>i</c> from <c>values[slots[i]]</c>); problems are named by
    /// <see cref="FieldName"/> for <paramref name="row"/>. Returns whether the customer is clean.
    /// </summary>
    internal bool Read(ReadOnlySpan<byte> body, ReadOnlySpan<RawJsonValue> values, ReadOnlySpan<int> slots, Span<double> inputs, List<FieldError> errors, int row)
    {
        var clean = true;
        for (var i = 0; i < _inputColumns.Count; i++)
        {
            ref readonly var value = ref values[slots[i]];
            inputs[i] = double.NaN;
            var column = _columns[i];
            var problem = value.Token is JsonTokenType.None or JsonTokenType.Null ? CheckMissing(column) : column.Kind switch
            {
                ColumnKind.Numeric or ColumnKind.Integer => value.Token == JsonTokenType.Number && value.IsDouble ? CheckNumber(value.Number, column, out inputs[i]) : $"expected a number, got {value.KindName}",
                ColumnKind.Date => value.Token == JsonTokenType.String && ReadDate(body, value, column.DateFormat, out inputs[i]) ? null : "expected a date string (yyyy-MM-dd)",
                ColumnKind.Boolean => value.Token is JsonTokenType.True or JsonTokenType.False ? Assign(value.Token == JsonTokenType.True ? 1 : 0, out inputs[i]) : "expected true or false",
                ColumnKind.Categorical => value.Token is JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False
                    ? Assign(EncodeText(i, body, value), out inputs[i])
                    : $"expected a category string, got {value.KindName}",
                _ => "this field cannot be scored",
            };
            if (problem is not null)
            {
                errors.Add(new FieldError(FieldName(row, _inputColumns[i]), problem));
                clean = false;
            }
        }

        return clean;
    }

    /// <summary>The customer id in <paramref name="value"/> when it is a string (unescaped), or null.</summary>
    internal static string? ReadId(ReadOnlySpan<byte> body, in RawJsonValue value) =>
        value.Token != JsonTokenType.String ? null : value.Escaped ? value.Unescape(body) : Encoding.UTF8.GetString(body.Slice(value.Start, value.Length));

    private static bool ReadDate(ReadOnlySpan<byte> body, in RawJsonValue value, string? format, out double days) =>
        value.Escaped ? ValueParser.TryParseDate(value.Unescape(body), format, out days, out _) : WithChars(body.Slice(value.Start, value.Length), format, static (chars, format) => (ValueParser.TryParseDate(chars, format, out var d, out _), d), out days);

    private double EncodeText(int input, ReadOnlySpan<byte> body, in RawJsonValue value)
    {
        if (_vocabularies[input] is not { } vocabulary)
        {
            return double.NaN;
        }

        if (value.Escaped)
        {
            return vocabulary.Encode(value.Unescape(body));
        }

        WithChars(body.Slice(value.Start, value.Length), vocabulary, static (chars, vocabulary) => (true, vocabulary.Encode(chars)), out var code);
        return code;
    }

    /// <summary>Decodes UTF-8 into a stack or pooled buffer and hands the characters to <paramref name="use"/>.</summary>
    private static bool WithChars<TState>(ReadOnlySpan<byte> utf8, TState state, Func<ReadOnlySpan<char>, TState, (bool Ok, double Value)> use, out double value)
    {
        char[]? rented = null;
        var chars = utf8.Length <= 128 ? stackalloc char[128] : (rented = ArrayPool<char>.Shared.Rent(utf8.Length));
        try
        {
            var written = Encoding.UTF8.GetChars(utf8, chars);
            (var ok, value) = use(chars[..written], state);
            return ok;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }
}
