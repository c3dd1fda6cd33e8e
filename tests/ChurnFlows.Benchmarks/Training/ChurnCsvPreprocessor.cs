using System.Globalization;

namespace ChurnFlows.Benchmarks.Training;

/// <summary>The benchmark's train-fitted row transform (see <see cref="ChurnCsvTable"/>); one row at a time, no allocation.</summary>
internal sealed class ChurnCsvPreprocessor
{
    private readonly List<(int Column, Kind Kind, string? Category)> _plan = [];
    private DateTime _reference;

    private enum Kind
    {
        Date,
        Number,
        OneHot,
    }

    public List<string> FeatureNames { get; } = [];

    public static ChurnCsvPreprocessor Fit(string[] header, List<string[]> rows, int[] trainRows)
    {
        var prep = new ChurnCsvPreprocessor();
        var reference = DateTime.MinValue;
        for (var c = 0; c < header.Length; c++)
        {
            var name = header[c].Trim();
            var lower = name.ToUpperInvariant();
            if (lower is "CHURN" or "CUSTOMERID" or "CUSTOMER_ID" or "ID")
            {
                continue;
            }

            if (lower.EndsWith("_DATE", StringComparison.Ordinal))
            {
                foreach (var r in trainRows)
                {
                    if (DateTime.TryParse(rows[r][c], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d > reference)
                    {
                        reference = d;
                    }
                }

                prep._plan.Add((c, Kind.Date, null));
                prep.FeatureNames.Add(name + "_days_ago");
                continue;
            }

            int nonBlank = 0, numeric = 0;
            var categories = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var r in trainRows)
            {
                var cell = rows[r][c].Trim();
                if (cell.Length == 0 || cell.Equals("nan", StringComparison.OrdinalIgnoreCase))
                {
                    categories.Add("__nan__");
                    continue;
                }

                nonBlank++;
                if (ChurnCsvTable.TryNumber(cell, out _))
                {
                    numeric++;
                }
                else if (categories.Count < 256)
                {
                    categories.Add(cell);
                }
            }

            if (nonBlank == 0 || numeric >= 0.95 * nonBlank)
            {
                prep._plan.Add((c, Kind.Number, null));
                prep.FeatureNames.Add(name);
            }
            else
            {
                foreach (var category in categories)
                {
                    prep._plan.Add((c, Kind.OneHot, category));
                    prep.FeatureNames.Add(name + "_" + category);
                }
            }
        }

        prep._reference = reference;
        return prep;
    }

    public void TransformRow(string[] cells, Span<double> destination)
    {
        for (var k = 0; k < _plan.Count; k++)
        {
            var (column, kind, category) = _plan[k];
            var cell = cells[column];
            destination[k] = kind switch
            {
                Kind.Date => DateTime.TryParse(cell, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? (_reference - d).Days : double.NaN,
                Kind.Number => ChurnCsvTable.TryNumber(cell, out var v) ? v : double.NaN,
                _ => string.Equals(Normalize(cell), category, StringComparison.Ordinal) ? 1.0 : 0.0,
            };
        }
    }

    private static string Normalize(string cell)
    {
        var trimmed = cell.Trim();
        return trimmed.Length == 0 || trimmed.Equals("nan", StringComparison.OrdinalIgnoreCase) ? "__nan__" : trimmed;
    }
}
