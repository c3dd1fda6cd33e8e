using ChurnFlows.ML.Data;
using ChurnFlows.ML.Tests.Explain;
using ChurnFlows.ML.Trees;
using Xunit;

namespace ChurnFlows.ML.Tests.Trees;

public class CompiledPredictorTests
{
    [Theory]
    [InlineData(1, 3)]
    [InlineData(6, 5)]
    [InlineData(10, 8)]
    [InlineData(14, 12)]
    public void PredictRaw_RandomTreesWithMissingValues_EqualTreeByTreeSum(int maxDepth, int features)
    {
        var random = new Random(maxDepth);
        var trees = Enumerable.Range(0, 30).Select(_ => PathWeightTablesTests.RandomTree(random, maxDepth, features)).ToList();
        var names = Enumerable.Range(0, features).Select(f => $"f{f}").ToArray();
        var model = new GbdtModel(names, -0.3, trees, trees.Count);
        var rows = Enumerable.Range(0, 700).Select(_ => PathWeightTablesTests.RandomRow(random, features)).ToArray();
        var matrix = new FeatureMatrix(names, [.. Enumerable.Range(0, features).Select(f => rows.Select(r => r[f]).ToArray())]);
        var batch = new double[rows.Length];

        model.Compiled.PredictRaw(matrix, batch, maxDegreeOfParallelism: 2);

        for (var i = 0; i < rows.Length; i++)
        {
            var expected = model.InitScore + trees.Sum(t => t.Evaluate(rows[i]));
            Assert.Equal(expected, model.PredictRaw(rows[i]), 10);
            Assert.Equal(expected, batch[i], 10);
        }
    }

    [Fact]
    public void PredictRaw_SingleLeafTree_AddsItsValue()
    {
        var leafOnly = new RegressionTree([], [], [], [], [], [], [], [0.25], [10]);
        var model = new GbdtModel(["a"], 0.5, [leafOnly], 1);

        Assert.Equal(0.75, model.PredictRaw([3.0]), 12);
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
}
