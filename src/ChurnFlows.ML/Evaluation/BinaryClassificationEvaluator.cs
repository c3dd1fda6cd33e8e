namespace ChurnFlows.ML.Evaluation;

/// <summary>
/// Computes <see cref="EvaluationReport"/>s and the single metrics trainers and tuners use.
/// Probabilities in, labels 0/1; ties in scores are handled exactly.
/// </summary>
public static class BinaryClassificationEvaluator
{
    /// <summary>Gets the default cost of missing a churner.</summary>
    public const double DefaultFalseNegativeCost = 500;

    /// <summary>Gets the default cost of flagging a stayer.</summary>
    public const double DefaultFalsePositiveCost = 50;

    /// <summary>ROC-AUC by the rank-sum formula with average ranks for ties; 0.5 when a class is absent.</summary>
    public static double AreaUnderRocCurve(ReadOnlySpan<double> scores, ReadOnlySpan<float> labels)
    {
        Check(scores, labels);
        return scores.IsEmpty ? 0.5 : ScoreRanking.AreaUnderRocCurve(scores, labels);
    }

    /// <summary>Average precision (the step-wise PR-AUC), treating tied scores as one threshold.</summary>
    public static double AreaUnderPrecisionRecallCurve(ReadOnlySpan<double> scores, ReadOnlySpan<float> labels)
    {
        Check(scores, labels);
        var totalPositives = 0;
        foreach (var l in labels)
        {
            totalPositives += l > 0.5f ? 1 : 0;
        }

        if (totalPositives == 0)
        {
            return 0;
        }

        var order = SortedAscending(scores);
        double ap = 0, tp = 0, fp = 0, previousRecall = 0;
        for (var i = order.Length - 1; i >= 0;)
        {
            var j = i;
            while (j - 1 >= 0 && scores[order[j - 1]] == scores[order[i]])
            {
                j--;
            }

            for (var k = j; k <= i; k++)
            {
                if (labels[order[k]] > 0.5f)
                {
                    tp++;
                }
                else
                {
                    fp++;
                }
            }

            var recall = tp / totalPositives;
            ap += (recall - previousRecall) * (tp / (tp + fp));
            previousRecall = recall;
            i = j - 1;
        }

        return ap;
    }

    /// <summary>Mean log loss with probabilities clipped to [1e-15, 1 - 1e-15].</summary>
    public static double LogLoss(ReadOnlySpan<double> probabilities, ReadOnlySpan<float> labels)
    {
        Check(probabilities, labels);
        double sum = 0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            var p = Math.Clamp(probabilities[i], 1e-15, 1 - 1e-15);
            sum -= labels[i] > 0.5f ? Math.Log(p) : Math.Log(1 - p);
        }

        return probabilities.Length == 0 ? 0 : sum / probabilities.Length;
    }

    /// <summary>Evaluates probabilities against labels at <paramref name="threshold"/>, with the given costs.</summary>
    public static EvaluationReport Evaluate(ReadOnlySpan<double> probabilities, ReadOnlySpan<float> labels, double threshold = 0.5, double falseNegativeCost = DefaultFalseNegativeCost, double falsePositiveCost = DefaultFalsePositiveCost)
    {
        Check(probabilities, labels);
        var curve = ThresholdCurve.Build(probabilities, labels);
        var confusion = Confusion(probabilities, labels, threshold);
        double brier = 0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            brier += (probabilities[i] - labels[i]) * (probabilities[i] - labels[i]);
        }

        var n = probabilities.Length;
        var (costThreshold, cost) = curve.CostOptimal(falseNegativeCost, falsePositiveCost);
        return new EvaluationReport
        {
            Count = n,
            PositiveRate = n == 0 ? 0 : (confusion.TruePositives + confusion.FalseNegatives) / (double)n,
            AreaUnderRocCurve = AreaUnderRocCurve(probabilities, labels),
            AreaUnderPrecisionRecallCurve = AreaUnderPrecisionRecallCurve(probabilities, labels),
            Threshold = threshold,
            Precision = Ratio(confusion.TruePositives, confusion.TruePositives + confusion.FalsePositives),
            Recall = Ratio(confusion.TruePositives, confusion.TruePositives + confusion.FalseNegatives),
            F1Score = Ratio(2 * confusion.TruePositives, 2 * confusion.TruePositives + confusion.FalsePositives + confusion.FalseNegatives),
            Accuracy = Ratio(confusion.TruePositives + confusion.TrueNegatives, n),
            LogLoss = LogLoss(probabilities, labels),
            BrierScore = n == 0 ? 0 : brier / n,
            PrecisionAtRecall80 = curve.PrecisionAtRecall(0.80),
            F1OptimalThreshold = curve.F1Optimal(),
            CostOptimalThreshold = costThreshold,
            CostPerRowAtOptimum = n == 0 ? 0 : cost / n,
            ConfusionMatrix = confusion,
            Calibration = CalibrationTable(probabilities, labels),
        };
    }

    /// <summary>Counts decisions <c>probability &gt;= threshold</c>.</summary>
    public static ConfusionMatrix Confusion(ReadOnlySpan<double> probabilities, ReadOnlySpan<float> labels, double threshold)
    {
        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            var flagged = probabilities[i] >= threshold;
            var positive = labels[i] > 0.5f;
            _ = (flagged, positive) switch
            {
                (true, true) => tp++,
                (true, false) => fp++,
                (false, false) => tn++,
                _ => fn++,
            };
        }

        return new ConfusionMatrix(tp, fp, tn, fn);
    }

    private static List<CalibrationBin> CalibrationTable(ReadOnlySpan<double> probabilities, ReadOnlySpan<float> labels)
    {
        var count = new int[10];
        var predicted = new double[10];
        var observed = new double[10];
        for (var i = 0; i < probabilities.Length; i++)
        {
            var bin = Math.Clamp((int)(probabilities[i] * 10), 0, 9);
            count[bin]++;
            predicted[bin] += probabilities[i];
            observed[bin] += labels[i];
        }

        return [.. Enumerable.Range(0, 10).Select(b => new CalibrationBin(b / 10.0, (b + 1) / 10.0, count[b], Ratio(predicted[b], count[b]), Ratio(observed[b], count[b])))];
    }

    internal static double Ratio(double numerator, double denominator) => denominator == 0 ? 0 : numerator / denominator;

    private static int[] SortedAscending(ReadOnlySpan<double> scores)
    {
        var keys = scores.ToArray();
        var order = new int[keys.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(keys, order);
        return order;
    }

    private static void Check(ReadOnlySpan<double> scores, ReadOnlySpan<float> labels)
    {
        if (scores.Length != labels.Length)
        {
            throw new ArgumentException($"{scores.Length} scores were given for {labels.Length} labels.", nameof(labels));
        }
    }
}
