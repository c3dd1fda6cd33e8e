using System.Globalization;
using ChurnFlows.ML.Data;

namespace ChurnFlows.ML.Validation;

/// <summary>Runs an <see cref="ExpectationSuite"/> over a read dataset. Bad data yields a failing report, never an exception.</summary>
public static class DatasetValidator
{
    private const int MaxExamples = 10;

    /// <summary>Validates <paramref name="read"/> against <paramref name="suite"/>.</summary>
    public static ValidationReport Validate(DatasetReadResult read, ExpectationSuite suite)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(suite);
        var results = new List<ExpectationResult>();
        if (read.Report.FileError is { } fileError)
        {
            results.Add(new("readable", null, false, fileError, "a CSV with a header row", []));
        }

        foreach (var e in suite.Expectations)
        {
            results.Add(Check(e, read));
        }

        return new ValidationReport(results.All(r => r.Passed), results, read.Report);
    }

    private static ExpectationResult Check(Expectation e, DatasetReadResult read)
    {
        var data = read.Dataset;
        var parse = read.Report;
        switch (e.Type)
        {
            case "requiredColumns":
                return Result(e, parse.MissingColumns.Count == 0, parse.MissingColumns.Count == 0 ? "all present" : "missing: " + string.Join(", ", parse.MissingColumns), "every required schema column", []);
            case "maxMalformedRatio":
                var ratio = parse.RecordCount == 0 ? 0 : parse.MalformedCount / (double)parse.RecordCount;
                return Result(e, ratio <= e.Max, $"{parse.MalformedCount} of {parse.RecordCount} rows ({ratio:P2})", $"<= {e.Max:P2}", [.. parse.MalformedRows.Take(MaxExamples).Select(m => $"line {m.Line}: {(m.Column is null ? string.Empty : m.Column + ": ")}{m.Reason}")]);
            case "minRows":
                return Result(e, data.RowCount >= e.Min, Text(data.RowCount), $">= {e.Min}", []);
            case "positiveRatio":
                var rate = data.PositiveRate;
                return Result(e, (e.Min is null || rate >= e.Min) && (e.Max is null || rate <= e.Max), rate.ToString("P2", CultureInfo.InvariantCulture), Bounds(e, "P0"), []);
            case "unique" when data.Schema.Find(e.Column!)?.Kind == Schema.ColumnKind.Id:
                var duplicates = data.Ids.Select((id, row) => (id, row)).GroupBy(x => x.id, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList();
                return Result(e, duplicates.Count == 0, $"{duplicates.Count} duplicated values", "no duplicates", [.. duplicates.Take(MaxExamples).Select(g => $"'{g.Key}' on lines {string.Join(", ", g.Select(x => data.SourceLines[x.row]))}")]);
        }

        if (!data.Columns.TryGetValue(e.Column!, out var values))
        {
            return Result(e, false, "column absent", "the column exists", []);
        }

        IEnumerable<int> Offending(Func<double, bool> bad) => Enumerable.Range(0, values.Length).Where(i => bad(values[i]));
        List<string> Examples(IEnumerable<int> rows) => [.. rows.Take(MaxExamples).Select(i => $"line {data.SourceLines[i]}: {Show(values[i])}")];
        switch (e.Type)
        {
            case "notNull":
                var nulls = Offending(double.IsNaN).ToList();
                return Result(e, nulls.Count == 0, $"{nulls.Count} missing", "no missing values", Examples(nulls));
            case "maxNullRatio":
                var missing = values.Count(double.IsNaN);
                var share = values.Length == 0 ? 0 : missing / (double)values.Length;
                return Result(e, share <= e.Max, share.ToString("P2", CultureInfo.InvariantCulture), $"<= {e.Max:P2}", []);
            case "between":
                var outside = Offending(v => !double.IsNaN(v) && ((e.Min is { } lo && v < lo) || (e.Max is { } hi && v > hi))).ToList();
                return Result(e, outside.Count == 0, $"{outside.Count} values outside", Bounds(e, "G"), Examples(outside));
            case "inSet":
                var vocabulary = data.Vocabularies.GetValueOrDefault(e.Column!);
                string Label(double v) => vocabulary is not null && !double.IsNaN(v) ? vocabulary[(int)v] : Show(v);
                var notIn = Offending(v => !double.IsNaN(v) && !e.Values!.Contains(Label(v), StringComparer.Ordinal)).ToList();
                return Result(e, notIn.Count == 0, $"{notIn.Count} values not in the set", "one of " + string.Join(", ", e.Values!), [.. notIn.Take(MaxExamples).Select(i => $"line {data.SourceLines[i]}: {Label(values[i])}")]);
            case "unique":
                var repeated = values.Select((v, i) => (v, i)).Where(x => !double.IsNaN(x.v)).GroupBy(x => x.v).Where(g => g.Count() > 1).ToList();
                return Result(e, repeated.Count == 0, $"{repeated.Count} duplicated values", "no duplicates", [.. repeated.Take(MaxExamples).Select(g => $"{Show(g.Key)} on lines {string.Join(", ", g.Select(x => data.SourceLines[x.i]))}")]);
            default:
                return Result(e, false, "unknown rule", e.Type, []);
        }
    }

    private static ExpectationResult Result(Expectation e, bool passed, string observed, string expected, IReadOnlyList<string> examples) =>
        new(e.Name, e.Column, passed, observed, expected, examples);

    private static string Bounds(Expectation e, string format) =>
        (e.Min, e.Max) switch
        {
            ({ } lo, { } hi) => $"between {lo.ToString(format, CultureInfo.InvariantCulture)} and {hi.ToString(format, CultureInfo.InvariantCulture)}",
            ({ } lo, null) => $">= {lo.ToString(format, CultureInfo.InvariantCulture)}",
            (null, { } hi) => $"<= {hi.ToString(format, CultureInfo.InvariantCulture)}",
            _ => "any",
        };

    private static string Show(double v) => double.IsNaN(v) ? "(missing)" : v.ToString("G", CultureInfo.InvariantCulture);

    private static string Text(int v) => v.ToString(CultureInfo.InvariantCulture);
}
