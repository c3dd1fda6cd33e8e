using ChurnFlows.ML.Data;
using ChurnFlows.ML.Trees;
using Xunit;

namespace ChurnFlows.ML.Tests.Trees;

public class SplitFinderTests
{
    [Fact]
    public void FindBest_TinyHistogram_PicksHandCheckedThresholdAndGain()
    {
        // Bins 0..2 then the (empty) missing bin. Gradients: bin0 (−4, h 2, 4 rows), bin1 (−2, h 2, 4 rows), bin2 (6, h 2, 4 rows).
        double[] hist = [-4, 2, 4, 0, -2, 2, 4, 0, 6, 2, 4, 0, 0, 0, 0, 0];
        var finder = new SplitFinder(l1: 0, l2: 0, minCount: 1, minHessian: 0, minGain: 0);

        var split = finder.FindBest(hist, feature: 3, sumGradient: 0, sumHessian: 6, count: 12);

        // Cut after bin 1: G²/H = 36/4 + 36/2 = 27; the parent's gain is 0.
        Assert.Equal(3, split.Feature);
        Assert.Equal(1, split.ThresholdBin);
        Assert.Equal(27, split.Gain, 12);
        Assert.Equal((-6.0, 4.0, 8), (split.LeftGradient, split.LeftHessian, split.LeftCount));
        Assert.Equal((6.0, 2.0, 4), (split.RightGradient, split.RightHessian, split.RightCount));
    }

    [Fact]
    public void FindBest_L2AndL1_ShrinkTheGain()
    {
        double[] hist = [-4, 2, 4, 0, -2, 2, 4, 0, 6, 2, 4, 0, 0, 0, 0, 0];
        var finder = new SplitFinder(l1: 1, l2: 2, minCount: 1, minHessian: 0, minGain: 0);

        var split = finder.FindBest(hist, 0, 0, 6, 12);

        // T(−6,1)=−5 → 25/(4+2); T(6,1)=5 → 25/(2+2); parent T(0)=0.
        Assert.Equal(1, split.ThresholdBin);
        Assert.Equal((25.0 / 6) + (25.0 / 4), split.Gain, 12);
        Assert.Equal(5.0 / 6, finder.LeafOutput(-6, 4), 12);
    }

    [Fact]
    public void FindBest_MinimumCount_RejectsSmallSides()
    {
        double[] hist = [-4, 2, 4, 0, -2, 2, 4, 0, 6, 2, 4, 0, 0, 0, 0, 0];
        var finder = new SplitFinder(0, 0, minCount: 5, minHessian: 0, minGain: 0);

        var split = finder.FindBest(hist, 0, 0, 6, 12);

        // Only "bin 0..1 | bin 2" (8 | 4) and "bin 0 | bin 1..2" (4 | 8) exist, and each has a side of 4 rows.
        Assert.False(split.IsValid);
    }

    [Fact]
    public void FindBest_MinimumGain_RejectsWeakSplits()
    {
        double[] hist = [-4, 2, 4, 0, -2, 2, 4, 0, 6, 2, 4, 0, 0, 0, 0, 0];

        Assert.False(new SplitFinder(0, 0, 1, 0, minGain: 27).FindBest(hist, 0, 0, 6, 12).IsValid);
        Assert.Equal(1, new SplitFinder(0, 0, 1, 0, minGain: 26).FindBest(hist, 0, 0, 6, 12).Gain, 12);
    }

    [Fact]
    public void FindBest_MissingRowsLikeLowBins_SendsMissingLeft()
    {
        // Missing rows carry negative gradients like bin 0, so they belong on the left.
        double[] hist = [-4, 2, 4, 0, 4, 2, 4, 0, -4, 2, 4, 0];
        var finder = new SplitFinder(0, 0, 1, 0, 0);

        var split = finder.FindBest(hist, 0, -4, 6, 12);

        Assert.True(split.DefaultLeft);
        Assert.Equal(0, split.ThresholdBin);
        Assert.Equal((-8.0, 8), (split.LeftGradient, split.LeftCount));
    }

    [Fact]
    public void FindBest_MissingRowsLikeHighBins_SendsMissingRight()
    {
        double[] hist = [-4, 2, 4, 0, 4, 2, 4, 0, 4, 2, 4, 0];
        var finder = new SplitFinder(0, 0, 1, 0, 0);

        var split = finder.FindBest(hist, 0, 4, 6, 12);

        Assert.False(split.DefaultLeft);
        Assert.Equal(0, split.ThresholdBin);
        Assert.Equal((8.0, 8), (split.RightGradient, split.RightCount));
    }

    [Fact]
    public void Fit_MissingnessCarriesTheSignal_LearnsMissingDirection()
    {
        // x is missing exactly for positives: the only useful split is "missing vs not".
        var random = new Random(41);
        const int n = 2_000;
        var x = new double[n];
        var labels = new float[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = i % 2;
            x[i] = labels[i] == 1 ? double.NaN : random.NextDouble();
        }

        var model = new GbdtBinaryTrainer(new() { NumberOfIterations = 5, LearningRate = 1 }).Fit(new FeatureMatrix(["x"], [x]), labels);

        Assert.True(model.PredictProbability([double.NaN]) > 0.9);
        Assert.True(model.PredictProbability([0.5]) < 0.1);
    }
}
