using System.Globalization;

namespace ChurnFlows.Functions.Hosting.Standalone;

/// <summary>
/// A 6-field NCRONTAB schedule as Azure Functions timers use it:
/// <c>{second} {minute} {hour} {day} {month} {day-of-week}</c>, each field <c>*</c>, a value, a range
/// <c>a-b</c>, a step <c>*/n</c>, <c>a-b/n</c> or <c>a/n</c>, or a comma list of those. Months and days of
/// week also take names (<c>JAN</c>, <c>MON</c>); day of week 0 and 7 are Sunday. As in NCrontab, a time
/// matches only when both the day of month and the day of week match. Times are UTC.
/// </summary>
public sealed class NcrontabSchedule
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    private static readonly string[] FieldNames = ["second", "minute", "hour", "day", "month", "day-of-week"];

    private readonly bool[][] _allowed;

    private NcrontabSchedule(string expression, bool[][] allowed)
    {
        Expression = expression;
        _allowed = allowed;
    }

    /// <summary>Gets the expression parsed.</summary>
    public string Expression { get; }

    /// <summary>Parses <paramref name="expression"/>.</summary>
    /// <exception cref="FormatException">The expression is not a valid 6-field NCRONTAB; the message names the field.</exception>
    public static NcrontabSchedule Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6)
        {
            throw new FormatException($"NCRONTAB '{expression}' has {fields.Length} fields; expected 6: second minute hour day month day-of-week.");
        }

        var allowed = new bool[6][];
        allowed[0] = ParseField(fields[0], 0, 0, 59, null);
        allowed[1] = ParseField(fields[1], 1, 0, 59, null);
        allowed[2] = ParseField(fields[2], 2, 0, 23, null);
        allowed[3] = ParseField(fields[3], 3, 1, 31, null);
        allowed[4] = ParseField(fields[4], 4, 1, 12, MonthNames);
        var days = ParseField(fields[5], 5, 0, 7, DayNames);
        days[0] |= days[7];
        allowed[5] = days;
        return new NcrontabSchedule(expression.Trim(), allowed);
    }

    /// <summary>Returns the first occurrence strictly after <paramref name="after"/> (UTC), or null when none falls within 30 years.</summary>
    public DateTime? GetNextOccurrence(DateTime after)
    {
        var utc = after.Kind == DateTimeKind.Local ? after.ToUniversalTime() : after;
        var t = new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc).AddSeconds(1);
        var limit = t.AddYears(30);
        while (t < limit)
        {
            if (!_allowed[4][t.Month])
            {
                t = new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1);
            }
            else if (!_allowed[3][t.Day] || !_allowed[5][(int)t.DayOfWeek])
            {
                t = t.Date.AddDays(1);
            }
            else if (!_allowed[2][t.Hour])
            {
                t = t.Date.AddHours(t.Hour + 1);
            }
            else if (!_allowed[1][t.Minute])
            {
                t = t.Date.AddHours(t.Hour).AddMinutes(t.Minute + 1);
            }
            else if (!_allowed[0][t.Second])
            {
                t = t.AddSeconds(1);
            }
            else
            {
                return t;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public override string ToString() => Expression;

    private static bool[] ParseField(string field, int index, int min, int max, string[]? names)
    {
        var allowed = new bool[max + 1];
        foreach (var item in field.Split(','))
        {
            var (range, stepText) = item.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? (item[..slash], item[(slash + 1)..]) : (item, null);
            var step = 1;
            if (stepText is not null && (!int.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1))
            {
                throw Bad(field, index, $"step '{stepText}' is not a positive number");
            }

            int from, to;
            if (range == "*")
            {
                (from, to) = (min, names == DayNames ? 6 : max);
            }
            else if (range.IndexOf('-', StringComparison.Ordinal) is var dash and > 0)
            {
                from = Value(range[..dash], field, index, min, max, names);
                to = Value(range[(dash + 1)..], field, index, min, max, names);
                if (to < from)
                {
                    throw Bad(field, index, $"range '{range}' runs backwards");
                }
            }
            else
            {
                from = Value(range, field, index, min, max, names);
                to = stepText is null ? from : max;
            }

            for (var v = from; v <= to; v += step)
            {
                allowed[v] = true;
            }
        }

        return allowed;
    }

    private static int Value(string text, string field, int index, int min, int max, string[]? names)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value >= min && value <= max ? value : throw Bad(field, index, $"{value} is outside {min}-{max}");
        }

        var named = names is null ? -1 : Array.FindIndex(names, n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        return named >= 0 ? named + (names == MonthNames ? 1 : 0) : throw Bad(field, index, $"'{text}' is not a value");
    }

    private static FormatException Bad(string field, int index, string problem) =>
        new($"NCRONTAB {FieldNames[index]} field '{field}': {problem}.");
}
