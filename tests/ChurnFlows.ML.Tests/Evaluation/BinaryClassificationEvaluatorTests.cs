using ChurnFlows.ML.Evaluation;
using Xunit;

namespace ChurnFlows.ML.Tests.Evaluation;

public class BinaryClassificationEvaluatorTests
{
    private static readonly double[] Scores = [0.1, 0.4, 0.35, 0.8];
    private static readonly float[] Labels = [0, 0, 1, 1];

    [Fact]
    public void AreaUnderRocCurve_ClassicExample_Is075()
    {
        Assert.Equal(0.75, BinaryClassificationEvaluator.AreaUnderRocCurve(Scores, Labels), 12);
    }

    [Fact]
    public void AreaUnderRocCurve_Ties_CountHalf()
    {
        Assert.Equal(0.5, BinaryClassificationEvaluator.AreaUnderRocCurve([0.5, 0.5], [0, 1]), 12);
        Assert.Equal(0.875, BinaryClassificationEvaluator.AreaUnderRocCurve([0.1, 0.5, 0.5, 0.9], [0, 0, 1, 1]), 12);
    }

    [Fact]
    public void AreaUnderPrecisionRecallCurve_ClassicExample_MatchesAveragePrecision()
    {
        // Ranked: 0.8 (+), 0.4 (-), 0.35 (+), 0.1 (-): AP = 0.5·1 + 0.5·(2/3).
        Assert.Equal(0.5 + 0.5 * 2 / 3.0, BinaryClassificationEvaluator.AreaUnderPrecisionRecallCurve(Scores, Labels), 12);
    }

    [Fact]
    public void Evaluate_HandComputedCase_AllMetrics()
    {
        var report = BinaryClassificationEvaluator.Evaluate(Scores, Labels, threshold: 0.3);

        Assert.Equal(new ConfusionMatrix(2, 1, 1, 0), report.ConfusionMatrix);
        Assert.Equal(2 / 3.0, report.Precision, 12);
        Assert.Equal(1.0, report.Recall, 12);
        Assert.Equal(0.8, report.F1Score, 12);
        Assert.Equal(0.75, report.Accuracy, 12);
        Assert.Equal((0.01 + 0.16 + 0.4225 + 0.04) / 4, report.BrierScore, 12);
        Assert.Equal(-(Math.Log(0.9) + Math.Log(0.6) + Math.Log(0.35) + Math.Log(0.8)) / 4, report.LogLoss, 12);
        Assert.Equal(2 / 3.0, report.PrecisionAtRecall80, 12);
        Assert.Equal(0.35, report.F1OptimalThreshold);
        Assert.Equal(0.35, report.CostOptimalThreshold);
        Assert.Equal(50 / 4.0, report.CostPerRowAtOptimum, 12);
        Assert.Equal(4, report.Calibration.Sum(b => b.Count));
    }

    [Fact]
    public void Evaluate_CostlyFalsePositives_RaisesThreshold()
    {
        var report = BinaryClassificationEvaluator.Evaluate(Scores, Labels, falseNegativeCost: 1, falsePositiveCost: 100);
        Assert.Equal(0.8, report.CostOptimalThreshold);
    }

    [Fact]
    public void AreaUnderRocCurve_LengthMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => BinaryClassificationEvaluator.AreaUnderRocCurve([0.1], [0, 1]));
    }
}
