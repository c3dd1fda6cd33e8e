using System.Globalization;
using ChurnFlows.ML.Schema;

namespace ChurnFlows.ML.Data;

/// <summary>Parses one CSV cell according to its column's kind. Shared by batch reading and serving.</summary>
public static class ValueParser
{
    private static readonly string[] IsoDateFormats = ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss.fffffffK", "yyyy/MM/dd"];

    /// <summary>Returns whether the text means "missing" (empty, NA, null, NaN).</summary>
    public static bool IsMissing(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        return text.IsEmpty || text.Equals("NA", StringComparison.OrdinalIgnoreCase) || text.Equals("null", StringComparison.OrdinalIgnoreCase) || text.Equals("NaN", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Parses a number (invariant culture). Integers must be whole.</summary>
    public static bool TryParseNumber(ReadOnlySpan<char> text, bool wholeNumber, out double value, out string? error)
    {
        error = null;
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
        {
            error = $"'{text.ToString()}' is not a number";
            return false;
        }

        if (wholeNumber && value != Math.Floor(value))
        {
            error = $"'{text.ToString()}' is not a whole number";
            return false;
        }

        return true;
    }

    /// <summary>Parses a date to days since 1970-01-01 (UTC).</summary>
    public static bool TryParseDate(ReadOnlySpan<char> text, string? format, out double days, out string? error)
    {
        error = null;
        days = double.NaN;
        var trimmed = text.Trim();
        if ((format is null or "yyyy-MM-dd") && TryParseIsoDay(trimmed, out days))
        {
            return true;
        }

        var ok = format is not null
            ? DateTime.TryParseExact(trimmed, format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date)
            : DateTime.TryParseExact(trimmed, IsoDateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out date);
        if (!ok)
        {
            error = $"'{text.ToString()}' is not a date{(format is null ? " (expected yyyy-MM-dd)" : $" in format {format}")}";
            return false;
        }

        days = (date - DateTime.UnixEpoch).TotalDays;
        return true;
    }

    /// <summary>
    /// The common case without the general parser: exactly <c>yyyy-MM-dd</c>, a real calendar day. Anything
    /// else (including an impossible day) is left to <see cref="DateTime.TryParseExact(ReadOnlySpan{char}, string[], IFormatProvider, DateTimeStyles, out DateTime)"/>.
    /// </summary>
    private static bool TryParseIsoDay(ReadOnlySpan<char> text, out double days)
    {
        days = double.NaN;
        if (text.Length != 10 || text[4] != '-' || text[7] != '-'
            || !TryDigits(text[..4], out var year) || !TryDigits(text.Slice(5, 2), out var month) || !TryDigits(text.Slice(8, 2), out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        days = new DateOnly(year, month, day).DayNumber - UnixEpochDay;
        return true;
    }

    private static readonly int UnixEpochDay = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    private static bool TryDigits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    /// <summary>Parses a Boolean or binary label: 1/0, true/false, yes/no (case-insensitive).</summary>
    public static bool TryParseBinary(ReadOnlySpan<char> text, out double value)
    {
        var t = text.Trim();
        if (t is "1" || t.Equals("true", StringComparison.OrdinalIgnoreCase) || t.Equals("yes", StringComparison.OrdinalIgnoreCase))
        {
            value = 1;
            return true;
        }

        if (t is "0" || t.Equals("false", StringComparison.OrdinalIgnoreCase) || t.Equals("no", StringComparison.OrdinalIgnoreCase))
        {
            value = 0;
            return true;
        }

        value = double.NaN;
        return false;
    }

    /// <summary>Parses a value cell (not id, label or categorical) of <paramref name="column"/>; NaN when missing and allowed.</summary>
    public static bool TryParse(ColumnSchema column, ReadOnlySpan<char> text, out double value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(column);
        error = null;
        value = double.NaN;
        if (IsMissing(text))
        {
            if (column.Nullable)
            {
                return true;
            }

            error = "a value is required";
            return false;
        }

        switch (column.Kind)
        {
            case ColumnKind.Numeric:
            case ColumnKind.Integer:
                return TryParseNumber(text, column.Kind == ColumnKind.Integer, out value, out error);
            case ColumnKind.Date:
                return TryParseDate(text, column.DateFormat, out value, out error);
            case ColumnKind.Boolean:
            case ColumnKind.Label:
                if (TryParseBinary(text, out value))
                {
                    return true;
                }

                error = $"'{text.ToString()}' is not one of 1/0, true/false, yes/no";
                return false;
            default:
                error = $"column kind {column.Kind} is not parsed as a value";
                return false;
        }
    }
}
