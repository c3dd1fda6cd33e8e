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

    [Theory]
    [InlineData(1, 7)]
    [InlineData(2, 1_000)]
    [InlineData(3, 20_000)]
    public void AreaUnderRocCurve_RandomScoresWithTiesAndSigns_MatchesPairCounting(int seed, int n)
    {
        // Scores of both signs and magnitudes, a third of them rounded so many tie; the pair-counting definition is the oracle.
        var random = new Random(seed);
        var scores = new double[n];
        var labels = new float[n];
        for (var i = 0; i < n; i++)
        {
            var s = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 4));
            scores[i] = i % 3 == 0 ? Math.Round(s, 1) : s;
            labels[i] = random.NextDouble() < 0.3 + (0.4 * Math.Tanh(s)) ? 1 : 0;
        }

        double wins = 0, pairs = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n && labels[i] == 1; j++)
            {
                if (labels[j] == 0)
                {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }

        var expected = pairs == 0 ? 0.5 : wins / pairs;
        Assert.Equal(expected, BinaryClassificationEvaluator.AreaUnderRocCurve(scores, labels), 10);
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
