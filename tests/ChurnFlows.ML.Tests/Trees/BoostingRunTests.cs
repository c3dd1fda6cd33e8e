using ChurnFlows.ML.Trees;
using Xunit;

namespace ChurnFlows.ML.Tests.Trees;

public class BoostingRunTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(0.05)]
    public void Run_WithOrWithoutBagging_TrainingScoresEqualTheTreesPredictions(double baggingFraction)
    {
        // In-bag rows take their leaf's value from the partition, out-of-bag rows walk the tree: both must
        // leave every row's score equal to what the finished trees predict for it.
        var (train, labels) = TreeTestData.Logistic(5_000, seed: 11);
        var options = new GbdtBinaryTrainer.Options
        {
            NumberOfIterations = 12, NumberOfLeaves = 15, BaggingFraction = baggingFraction, BaggingFrequency = 2, Seed = 5, NumberOfThreads = 2,
        };
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 2 };
        var data = BinnedDataset.Create(train, options.MaximumBinCountPerFeature, options.Seed, parallel);
        var weights = Enumerable.Repeat(1.0, train.RowCount).ToArray();
        var run = new BoostingRun(options, data, labels, weights, initScore: -0.4, null, [], parallel);

        var trees = run.Run(CancellationToken.None);

        var model = new GbdtModel(train.FeatureNames, -0.4, trees, trees.Count);
        var row = new double[train.ColumnCount];
        for (var i = 0; i < train.RowCount; i++)
        {
            for (var f = 0; f < row.Length; f++)
            {
                row[f] = train.Column(f)[i];
            }

            Assert.Equal(model.PredictRaw(row), run.TrainingScores[i], 9);
        }
    }
}
