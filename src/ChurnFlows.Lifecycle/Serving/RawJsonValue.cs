using System.Text.Json;

namespace ChurnFlows.Lifecycle.Serving;

/// <summary>
/// One property value of a customer object as it stands in the request body, read once and converted later
/// by the model the row is routed to: its token, where its bytes are, and for numbers the parsed double.
/// </summary>
internal struct RawJsonValue
{
    /// <summary>The value's token (<see cref="JsonTokenType.None"/>: the property is absent).</summary>
    public JsonTokenType Token;

    /// <summary>Where the value's bytes start in the body (a string's, without its quotes).</summary>
    public int Start;

    /// <summary>How many bytes the value spans.</summary>
    public int Length;

    /// <summary>For a number: whether it reads as a double (<see cref="Utf8JsonReader.TryGetDouble"/>).</summary>
    public bool IsDouble;

    /// <summary>For a number: its value.</summary>
    public double Number;

    /// <summary>For a string: whether it holds escapes (see <see cref="Unescape"/>).</summary>
    public bool Escaped;

    /// <summary>The value's kind as <see cref="JsonValueKind"/> names it, lower-case, for problem texts.</summary>
    public readonly string KindName => Token switch
    {
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        _ => "null",
    };

    /// <summary>The value's <see cref="JsonValueKind"/> as it would be spelled by an element of the same token.</summary>
    public static string ValueKindOf(JsonTokenType token) => token switch
    {
        JsonTokenType.String => nameof(JsonValueKind.String),
        JsonTokenType.Number => nameof(JsonValueKind.Number),
        JsonTokenType.True => nameof(JsonValueKind.True),
        JsonTokenType.False => nameof(JsonValueKind.False),
        JsonTokenType.StartObject => nameof(JsonValueKind.Object),
        JsonTokenType.StartArray => nameof(JsonValueKind.Array),
        _ => nameof(JsonValueKind.Null),
    };

    /// <summary>
    /// Parses a JSON number of at most 15 significant digits and no exponent as an exact integer scaled by a
    /// power of ten: both are exact doubles, so the one division rounds correctly and the result is the same
    /// double <see cref="Utf8JsonReader.TryGetDouble"/> returns. Other numbers are left to it.
    /// </summary>
    private static bool TryParseShortDecimal(ReadOnlySpan<byte> number, out double value)
    {
        value = 0;
        var negative = number.Length > 0 && number[0] == (byte)'-';
        long mantissa = 0;
        var digits = 0;
        var scale = -1;
        for (var i = negative ? 1 : 0; i < number.Length; i++)
        {
            var b = number[i];
            if (b == (byte)'.')
            {
                scale = 0;
                continue;
            }

            if (!char.IsAsciiDigit((char)b) || ++digits > 15)
            {
                return false;
            }

            mantissa = (mantissa * 10) + (b - '0');
            scale += scale >= 0 ? 1 : 0;
        }

        value = scale > 0 ? mantissa / PowersOfTen[scale] : mantissa;
        value = negative ? -value : value;
        return digits > 0;
    }

    private static readonly double[] PowersOfTen = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    /// <summary>Records the value the reader stands on into <paramref name="value"/>, skipping over an object or array.</summary>
    public static void Read(ref Utf8JsonReader reader, ref RawJsonValue value)
    {
        value.Token = reader.TokenType;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                value.Start = (int)reader.TokenStartIndex + 1;
                value.Length = reader.ValueSpan.Length;
                value.Escaped = reader.ValueIsEscaped;
                break;
            case JsonTokenType.Number:
                var number = reader.ValueSpan;
                value.Start = (int)reader.TokenStartIndex;
                value.Length = number.Length;
                value.IsDouble = TryParseShortDecimal(number, out value.Number) || reader.TryGetDouble(out value.Number);
                break;
            case JsonTokenType.True or JsonTokenType.False:
                value.Start = (int)reader.TokenStartIndex;
                value.Length = reader.ValueSpan.Length;
                break;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                reader.Skip();
                break;
        }
    }

    /// <summary>A string value holding escapes, unescaped (rare, so allocating is fine).</summary>
    public readonly string Unescape(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body.Slice(Start - 1, Length + 2));
        reader.Read();
        return reader.GetString()!;
    }
}
