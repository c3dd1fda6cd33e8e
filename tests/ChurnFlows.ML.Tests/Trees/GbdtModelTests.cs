using ChurnFlows.ML.Trees;
using Xunit;

namespace ChurnFlows.ML.Tests.Trees;

public class GbdtModelTests
{
    [Fact]
    public void FromJson_RoundTrip_IdenticalPredictions()
    {
        var (train, labels) = TreeTestData.Logistic(5_000, seed: 51);
        var model = new GbdtBinaryTrainer(new() { NumberOfIterations = 25 }).Fit(train, labels);

        var copy = GbdtModel.FromJson(model.ToJson());

        Assert.Equal(model.PredictProbabilities(train), copy.PredictProbabilities(train));
        Assert.Equal(model.FeatureNames, copy.FeatureNames);
        Assert.Equal(model.InitScore, copy.InitScore);
        Assert.Equal(model.BestIteration, copy.BestIteration);
        Assert.Equal(model.ToJson(), copy.ToJson());
    }

    [Fact]
    public void PredictRaw_CompiledAndBatch_AgreeWithTreeByTreeSum()
    {
        var (train, labels) = TreeTestData.Logistic(3_000, seed: 52);
        var model = new GbdtBinaryTrainer(new() { NumberOfIterations = 15 }).Fit(train, labels);
        var batch = new double[train.RowCount];
        model.Compiled.PredictRaw(train, batch, maxDegreeOfParallelism: 2);
        var row = new double[train.ColumnCount];

        for (var i = 0; i < train.RowCount; i++)
        {
            train.CopyRow(i, row);
            var sum = model.InitScore + model.Trees.Sum(t => t.Evaluate(row));
            Assert.Equal(sum, model.PredictRaw(row), 10);
            Assert.Equal(sum, batch[i], 10);
        }
    }

    [Fact]
    public void GetFeatureImportance_SignalAndNoise_SignalFeaturesRankFirst()
    {
        var (train, labels) = TreeTestData.Logistic(10_000, seed: 53);
        var model = new GbdtBinaryTrainer(new() { NumberOfIterations = 30 }).Fit(train, labels);

        var importance = model.GetFeatureImportance();

        Assert.Equal(train.ColumnCount, importance.Count);
        Assert.Equal("noise", importance[^1].Name);
        Assert.Equal(model.Trees.Sum(t => t.SplitFeatures.Count), importance.Sum(i => i.SplitCount));
    }

    [Fact]
    public void Constructor_TreeUsesUnknownFeature_ThrowsNamingTheTree()
    {
        var tree = new RegressionTree([4], [1.0], [true], [~0], [~1], [1.0], [10], [0.1, -0.1], [5, 5]);

        var error = Assert.Throws<ArgumentException>(() => new GbdtModel(["a", "b"], 0, [tree], 1));

        Assert.Contains("Tree 0 splits on feature 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RegressionTree_ChildPointsBackwards_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new RegressionTree([0, 0], [1, 2], [true, true], [1, ~0], [~1, 0], [1, 1], [10, 5], [0.1, 0.2, 0.3], [5, 3, 2]));

        Assert.Equal("rightChildren", error.ParamName);
    }

    [Fact]
    public void PredictRaw_ShortRow_ThrowsNamingTheLengths()
    {
        var (train, labels) = TreeTestData.Logistic(500, seed: 54);
        var model = new GbdtBinaryTrainer(new() { NumberOfIterations = 2 }).Fit(train, labels);

        var error = Assert.Throws<ArgumentException>(() => model.PredictRaw([1.0, 2.0]));

        Assert.Contains("2 values", error.Message, StringComparison.Ordinal);
    }
}
