using ChurnFlows.ML.Data;

namespace ChurnFlows.ML.Tests.Trees;

/// <summary>Small seeded datasets with a known, learnable signal (logistic in a few features, with missing values).</summary>
internal static class TreeTestData
{
    public static (FeatureMatrix Features, float[] Labels) Logistic(int rows, int seed, double missingRate = 0.05)
    {
        var random = new Random(seed);
        const int columns = 6;
        var data = new double[columns][];
        for (var j = 0; j < columns; j++)
        {
            data[j] = new double[rows];
        }

        var labels = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            var tenure = random.NextDouble() * 72;
            var charges = 20 + (random.NextDouble() * 100);
            var tickets = random.Next(0, 8);
            var contract = random.Next(0, 3);
            var noise = random.NextDouble();
            var usage = random.NextDouble() < missingRate ? double.NaN : random.NextDouble() * 50;
            var logit = 1.2 - (0.06 * tenure) + (0.015 * charges) + (0.45 * tickets) - (1.1 * contract)
                + (double.IsNaN(usage) ? 1.5 : -0.03 * usage);
            labels[i] = random.NextDouble() < 1 / (1 + Math.Exp(-logit)) ? 1f : 0f;
            data[0][i] = tenure;
            data[1][i] = charges;
            data[2][i] = tickets;
            data[3][i] = contract;
            data[4][i] = noise;
            data[5][i] = usage;
        }

        return (new FeatureMatrix(["tenure", "charges", "tickets", "contract", "noise", "usage"], data), labels);
    }

    /// <summary>A test-only ROC-AUC (rank statistic with tie averaging) so tests need no other component.</summary>
    public static double RocAuc(ReadOnlySpan<float> labels, ReadOnlySpan<double> scores)
    {
        var order = new int[labels.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var s = scores.ToArray();
        Array.Sort(order, (a, b) => s[a].CompareTo(s[b]));
        double rankSumPositive = 0;
        long positives = 0;
        var k = 0;
        while (k < order.Length)
        {
            var end = k;
            while (end + 1 < order.Length && s[order[end + 1]] == s[order[k]])
            {
                end++;
            }

            var averageRank = ((k + end) / 2.0) + 1;
            for (var m = k; m <= end; m++)
            {
                if (labels[order[m]] > 0.5f)
                {
                    rankSumPositive += averageRank;
                    positives++;
                }
            }

            k = end + 1;
        }

        long negatives = labels.Length - positives;
        return (rankSumPositive - (positives * (positives + 1) / 2.0)) / (positives * (double)negatives);
    }
}
