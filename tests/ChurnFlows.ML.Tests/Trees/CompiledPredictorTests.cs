using ChurnFlows.ML.Data;
using ChurnFlows.ML.Trees;
using Xunit;

namespace ChurnFlows.ML.Tests.Trees;

public class CompiledPredictorTests
{
    [Theory]
    [InlineData(1, 3, 3, 4)]
    [InlineData(6, 5, 5, 12)]
    [InlineData(10, 8, 8, 40)]
    [InlineData(14, 12, 12, 40)]
    [InlineData(25, 6, 6, 300)]
    public void PredictRaw_RandomTreesWithEdgeValues_BitIdenticalToTreeByTreeWalk(int depth, int features, int used, int thresholds)
    {
        var models = new ScoringModels(depth);
        var model = models.Model(features, used, trees: 40, depth, thresholds);

        AssertBitIdentical(model, models.Rows(700));
    }

    [Fact]
    public void PredictRaw_FeaturesNeverSplitOn_BitIdenticalToTreeByTreeWalk()
    {
        var models = new ScoringModels(7);
        var model = models.Model(features: 30, used: 4, trees: 25, depth: 8, thresholdsPerFeature: 20);

        AssertBitIdentical(model, models.Rows(500));
    }

    [Fact]
    public void PredictRaw_FeatureWithMoreThan255Thresholds_BitIdenticalToTreeByTreeWalk()
    {
        // 40 trees of 127 splits on 2 features: hundreds of distinct thresholds each, so codes take 16 bits.
        var models = new ScoringModels(11);
        var model = models.Model(features: 3, used: 2, trees: 0, depth: 0, thresholdsPerFeature: 2_000);
        var trees = Enumerable.Range(0, 40).Select(_ => models.CompleteTree(used: 2, depth: 7)).ToList();
        model = new GbdtModel(model.FeatureNames, 0.1, trees, trees.Count);

        Assert.True(ThresholdRanks.TryCreate(model)!.MostThresholds > 255);
        AssertBitIdentical(model, models.Rows(600));
    }

    [Fact]
    public void PredictRaw_TreesWithMoreThan256Leaves_BitIdenticalToTreeByTreeWalk()
    {
        var models = new ScoringModels(12);
        var model = models.Model(features: 5, used: 5, trees: 3, depth: 6, thresholdsPerFeature: 10);
        var trees = model.Trees.Concat(Enumerable.Range(0, 4).Select(_ => models.CompleteTree(used: 5, depth: 9))).ToList();
        model = new GbdtModel(model.FeatureNames, 0.2, trees, trees.Count);

        AssertBitIdentical(model, models.Rows(300));
    }

    [Fact]
    public void PredictRaw_SingleLeafTrees_AddTheirValuesInOrder()
    {
        var models = new ScoringModels(13);
        var model = models.Model(features: 4, used: 4, trees: 6, depth: 5, thresholdsPerFeature: 8);
        var trees = model.Trees.SelectMany((t, i) => new[] { t, Leaf(0.1 * i) }).ToList();

        AssertBitIdentical(new GbdtModel(model.FeatureNames, 0.5, trees, trees.Count), models.Rows(200));
        AssertBitIdentical(new GbdtModel(model.FeatureNames, 0.5, [Leaf(0.25), Leaf(-0.125)], 2), models.Rows(70));
        Assert.Equal(0.75, new GbdtModel(["a"], 0.5, [Leaf(0.25)], 1).PredictRaw([3.0]));
    }

    [Fact]
    public void PredictRaw_NaNThreshold_SendsEveryValueRightAndMissingValuesTheirWay()
    {
        var models = new ScoringModels(14);
        var model = models.Model(features: 2, used: 2, trees: 0, depth: 0, thresholdsPerFeature: 6);
        var nanSplits = new RegressionTree([0, 1], [double.NaN, 0.5], [true, false], [~0, ~1], [1, ~2], [1, 1], [2, 2], [0.5, -0.25, 2.0], [1, 1, 1]);

        AssertBitIdentical(new GbdtModel(model.FeatureNames, 0, [nanSplits], 1), models.Rows(130));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(65)]
    [InlineData(257)]
    [InlineData(514)]
    public void PredictRaw_AnyRowCount_BitIdenticalToTreeByTreeWalk(int rows)
    {
        var models = new ScoringModels(rows);
        var model = models.Model(features: 6, used: 6, trees: 30, depth: 9, thresholdsPerFeature: 30);

        AssertBitIdentical(model, models.Rows(rows));
    }

    [Fact]
    public void PredictRaw_ValuesAtAndBesideEachThreshold_TakeTheThresholdsBranch()
    {
        // One split per threshold, each with its own leaf values: an off-by-one rank sends some row to the wrong leaf.
        double[] thresholds = [double.NegativeInfinity, -1.5, -0.0, 0.0, 1e-300, 0.75, 3.0, double.PositiveInfinity];
        var trees = thresholds.Select((t, i) => new RegressionTree([0], [t], [i % 2 == 0], [~0], [~1], [1], [2], [1.0 + i, -1.0 - (8 * i)], [1, 1])).ToList();
        var model = new GbdtModel(["x"], 0, trees, trees.Count);
        double[] values = [.. thresholds.SelectMany(t => new[] { t, Math.BitDecrement(t), Math.BitIncrement(t) }), double.NaN, double.MaxValue, -double.MaxValue, double.Epsilon];

        AssertBitIdentical(model, new FeatureMatrix(["x"], [values]));
    }

    [Fact]
    public void PredictRaw_BatchOfOneThread_EqualsBatchOfTwo()
    {
        var (train, labels) = TreeTestData.Logistic(1_000, seed: 54);
        var model = new GbdtBinaryTrainer(new() { NumberOfIterations = 10 }).Fit(train, labels);
        var one = new double[train.RowCount];
        var two = new double[train.RowCount];

        model.Compiled.PredictRaw(train, one, maxDegreeOfParallelism: 1);
        model.Compiled.PredictRaw(train, two, maxDegreeOfParallelism: 2);

        Assert.Equal(one, two);
    }

    /// <summary>Scores in batches on one and on two threads and row by row; each must have the reference's very bits.</summary>
    private static void AssertBitIdentical(GbdtModel model, FeatureMatrix rows)
    {
        var one = new double[rows.RowCount];
        var two = new double[rows.RowCount];
        model.Compiled.PredictRaw(rows, one, maxDegreeOfParallelism: 1);
        model.Compiled.PredictRaw(rows, two, maxDegreeOfParallelism: 2);
        var row = new double[rows.ColumnCount];
        for (var i = 0; i < rows.RowCount; i++)
        {
            rows.CopyRow(i, row);
            var expected = BitConverter.DoubleToInt64Bits(ScoringModels.Reference(model, row));
            Assert.True(expected == BitConverter.DoubleToInt64Bits(one[i]), $"Row {i} [{string.Join(", ", row)}]: batch on 1 thread {one[i]:R}, reference {ScoringModels.Reference(model, row):R}");
            Assert.True(expected == BitConverter.DoubleToInt64Bits(two[i]), $"Row {i}: batch on 2 threads {two[i]:R}");
            Assert.True(expected == BitConverter.DoubleToInt64Bits(model.PredictRaw(row)), $"Row {i}: single row {model.PredictRaw(row):R}");
        }
    }

    private static RegressionTree Leaf(double value) => new([], [], [], [], [], [], [], [value], [1]);
}
