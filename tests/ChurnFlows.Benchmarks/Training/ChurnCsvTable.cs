using System.Globalization;
using ChurnFlows.ML.Data;

namespace ChurnFlows.Benchmarks.Training;

/// <summary>
/// A churn CSV turned into features the way the peer script does it (train-fitted): <c>*_date</c>
/// columns become days before the latest train date, mostly-numeric columns numbers (blank = NaN),
/// other columns one-hot; the churn column is the label; id columns are dropped. Simple CSV only
/// (no quoted commas), which is what the standard churn schema writes.
/// </summary>
internal sealed class ChurnCsvTable
{
    private ChurnCsvTable(string[] header, List<string[]> rows, float[] labels)
    {
        Header = header;
        Rows = rows;
        Labels = labels;
    }

    public string[] Header { get; }

    public List<string[]> Rows { get; }

    public float[] Labels { get; }

    public static ChurnCsvTable Load(string path)
    {
        using var reader = new StreamReader(path);
        var header = (reader.ReadLine() ?? throw new InvalidDataException($"'{path}' is empty.")).Split(',');
        var target = Array.FindIndex(header, h => h.Trim().Equals("churn", StringComparison.OrdinalIgnoreCase));
        if (target < 0)
        {
            throw new InvalidDataException($"'{path}' has no 'churn' column.");
        }

        var rows = new List<string[]>();
        var labels = new List<float>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var cells = line.Split(',');
            var label = cells[target].Trim().ToUpperInvariant();
            labels.Add(label is "1" or "YES" or "TRUE" ? 1f : 0f);
            rows.Add(cells);
        }

        return new ChurnCsvTable(header, rows, [.. labels]);
    }

    /// <summary>Stratified 70/15/15 split with a seeded shuffle per class (same protocol as the peers; row sets differ).</summary>
    public (int[] Train, int[] Validation, int[] Test) StratifiedSplit(int seed)
    {
        var random = new Random(seed);
        List<int> train = [], validation = [], test = [];
        foreach (var cls in new[] { 0f, 1f })
        {
            var members = Enumerable.Range(0, Labels.Length).Where(i => Labels[i] == cls).ToArray();
            random.Shuffle(members);
            var nTrain = (int)Math.Round(members.Length * 0.70);
            var nValidation = (int)Math.Round(members.Length * 0.15);
            train.AddRange(members[..nTrain]);
            validation.AddRange(members[nTrain..(nTrain + nValidation)]);
            test.AddRange(members[(nTrain + nValidation)..]);
        }

        return ([.. train.Order()], [.. validation.Order()], [.. test.Order()]);
    }

    /// <summary>Fits the preprocessing on the training rows.</summary>
    public ChurnCsvPreprocessor FitPreprocessor(int[] trainRows) => ChurnCsvPreprocessor.Fit(Header, Rows, trainRows);

    public float[] LabelsOf(int[] rows) => [.. rows.Select(r => Labels[r])];

    internal static bool TryNumber(string cell, out double value) =>
        double.TryParse(cell.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    internal static FeatureMatrix Transform(ChurnCsvPreprocessor prep, List<string[]> rows, int[] which)
    {
        var columns = new double[prep.FeatureNames.Count][];
        for (var j = 0; j < columns.Length; j++)
        {
            columns[j] = new double[which.Length];
        }

        var buffer = new double[columns.Length];
        for (var i = 0; i < which.Length; i++)
        {
            prep.TransformRow(rows[which[i]], buffer);
            for (var j = 0; j < columns.Length; j++)
            {
                columns[j][i] = buffer[j];
            }
        }

        return new FeatureMatrix(prep.FeatureNames, columns);
    }
}
