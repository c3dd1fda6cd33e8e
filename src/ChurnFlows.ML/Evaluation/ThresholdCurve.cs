namespace ChurnFlows.ML.Evaluation;

/// <summary>Cumulative counts at every distinct threshold (descending), for threshold searches.</summary>
internal sealed class ThresholdCurve
{
    private readonly List<(double Threshold, int TruePositives, int FalsePositives)> _points = [];
    private int _positives;

    public static ThresholdCurve Build(ReadOnlySpan<double> probabilities, ReadOnlySpan<float> labels)
    {
        var curve = new ThresholdCurve();
        var keys = probabilities.ToArray();
        var flags = new bool[labels.Length];
        for (var i = 0; i < flags.Length; i++)
        {
            flags[i] = labels[i] > 0.5f;
        }

        Array.Sort(keys, flags);
        int tp = 0, fp = 0;
        for (var i = keys.Length - 1; i >= 0; i--)
        {
            if (flags[i])
            {
                tp++;
            }
            else
            {
                fp++;
            }

            if (i == 0 || keys[i - 1] != keys[i])
            {
                curve._points.Add((keys[i], tp, fp));
            }
        }

        curve._positives = tp;
        return curve;
    }

    public double PrecisionAtRecall(double minimumRecall)
    {
        var best = 0.0;
        foreach (var (_, tp, fp) in _points)
        {
            if (_positives > 0 && tp / (double)_positives >= minimumRecall)
            {
                best = Math.Max(best, tp / (double)(tp + fp));
            }
        }

        return best;
    }

    public double F1Optimal()
    {
        var (bestThreshold, bestF1) = (0.5, -1.0);
        foreach (var (threshold, tp, fp) in _points)
        {
            var f1 = BinaryClassificationEvaluator.Ratio(2 * tp, 2 * tp + fp + (_positives - tp));
            if (f1 > bestF1)
            {
                (bestThreshold, bestF1) = (threshold, f1);
            }
        }

        return bestThreshold;
    }

    public (double Threshold, double Cost) CostOptimal(double falseNegativeCost, double falsePositiveCost)
    {
        // Flagging nobody costs every churner.
        var (bestThreshold, bestCost) = (1.0 + 1e-9, _positives * falseNegativeCost);
        foreach (var (threshold, tp, fp) in _points)
        {
            var cost = (_positives - tp) * falseNegativeCost + fp * falsePositiveCost;
            if (cost < bestCost)
            {
                (bestThreshold, bestCost) = (threshold, cost);
            }
        }

        return (bestThreshold, bestCost);
    }
}
