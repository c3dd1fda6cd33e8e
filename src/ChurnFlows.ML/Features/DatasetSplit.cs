using ChurnFlows.ML.Data;

namespace ChurnFlows.ML.Features;

/// <summary>Row indices of a train / validation / test split.</summary>
/// <param name="Train">Training rows.</param>
/// <param name="Validation">Validation rows (early stopping, tuning).</param>
/// <param name="Test">Held-out rows (evaluation and champion comparison).</param>
public sealed record DatasetSplit(int[] Train, int[] Validation, int[] Test)
{
    /// <summary>Splits stratified by label (default 70/15/15), shuffled with <paramref name="seed"/>.</summary>
    public static DatasetSplit Stratified(IReadOnlyList<float> labels, int seed = 42, double trainShare = 0.70, double validationShare = 0.15)
    {
        ArgumentNullException.ThrowIfNull(labels);
        Check(trainShare, validationShare);
        var random = new Random(seed);
        List<int> train = [], validation = [], test = [];
        foreach (var cls in new[] { 0f, 1f })
        {
            var rows = Enumerable.Range(0, labels.Count).Where(i => labels[i] == cls).ToArray();
            random.Shuffle(rows);
            var nTrain = (int)Math.Round(rows.Length * trainShare);
            var nValidation = (int)Math.Round(rows.Length * validationShare);
            train.AddRange(rows[..nTrain]);
            validation.AddRange(rows[nTrain..(nTrain + nValidation)]);
            test.AddRange(rows[(nTrain + nValidation)..]);
        }

        return new DatasetSplit([.. train.Order()], [.. validation.Order()], [.. test.Order()]);
    }

    /// <summary>Splits by time: the oldest rows by <paramref name="dateColumn"/> train, the newest test.</summary>
    public static DatasetSplit Temporal(TabularDataset dataset, string dateColumn, double trainShare = 0.70, double validationShare = 0.15)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        Check(trainShare, validationShare);
        if (!dataset.Columns.TryGetValue(dateColumn, out var dates))
        {
            throw new ArgumentException($"The dataset has no column '{dateColumn}' to split by time.", nameof(dateColumn));
        }

        var order = Enumerable.Range(0, dataset.RowCount).OrderBy(i => double.IsNaN(dates[i]) ? double.MinValue : dates[i]).ThenBy(i => i).ToArray();
        var nTrain = (int)Math.Round(order.Length * trainShare);
        var nValidation = (int)Math.Round(order.Length * validationShare);
        return new DatasetSplit(order[..nTrain], order[nTrain..(nTrain + nValidation)], order[(nTrain + nValidation)..]);
    }

    private static void Check(double train, double validation)
    {
        if (train <= 0 || validation < 0 || train + validation >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(train), $"Shares must satisfy 0 < train, 0 <= validation, train + validation < 1; got {train} and {validation}.");
        }
    }
}
