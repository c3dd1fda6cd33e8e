namespace ChurnFlows.Benchmarks.Training;

/// <summary>ROC-AUC as the Mann–Whitney rank statistic (ties averaged), local to the benchmark.</summary>
internal static class BenchmarkAuc
{
    public static double Compute(float[] labels, double[] scores)
    {
        var order = Enumerable.Range(0, labels.Length).ToArray();
        Array.Sort(order, (a, b) => scores[a].CompareTo(scores[b]));
        double rankSum = 0;
        long positives = 0;
        for (var k = 0; k < order.Length;)
        {
            var end = k;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[k]])
            {
                end++;
            }

            var rank = ((k + end) / 2.0) + 1;
            for (var m = k; m <= end; m++)
            {
                if (labels[order[m]] > 0.5f)
                {
                    rankSum += rank;
                    positives++;
                }
            }

            k = end + 1;
        }

        var negatives = labels.Length - positives;
        return (rankSum - (positives * (positives + 1) / 2.0)) / (positives * (double)negatives);
    }
}
