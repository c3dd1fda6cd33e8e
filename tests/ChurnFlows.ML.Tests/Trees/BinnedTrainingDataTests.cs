using ChurnFlows.ML.Trees;
using Xunit;

namespace ChurnFlows.ML.Tests.Trees;

public class BinnedTrainingDataTests
{
    [Fact]
    public void Fit_FromBinnedData_EqualsFitFromMatrices_ForSeveralOptionSets()
    {
        var (train, labels) = TreeTestData.Logistic(8_000, seed: 11);
        var (valid, validLabels) = TreeTestData.Logistic(2_000, seed: 12);
        var binned = new GbdtBinaryTrainer(new GbdtBinaryTrainer.Options { Seed = 5 }).Bin(train, valid);

        foreach (var leaves in new[] { 8, 63 })
        {
            var options = new GbdtBinaryTrainer.Options { NumberOfIterations = 30, NumberOfLeaves = leaves, FeatureFraction = 0.8, Seed = 5, EarlyStoppingRounds = 5 };
            var fromMatrices = new GbdtBinaryTrainer(options).Fit(train, labels, default, valid, validLabels);
            var fromBins = new GbdtBinaryTrainer(options).Fit(binned, labels, default, validLabels);

            Assert.Equal(fromMatrices.ToJson(), fromBins.ToJson());
        }
    }

    [Fact]
    public void Fit_BinnedWithAnotherSeed_IsRefusedNamingBoth()
    {
        var (train, labels) = TreeTestData.Logistic(1_000, seed: 13);
        var binned = new GbdtBinaryTrainer(new GbdtBinaryTrainer.Options { Seed = 1 }).Bin(train);

        var error = Assert.Throws<ArgumentException>(() => new GbdtBinaryTrainer(new GbdtBinaryTrainer.Options { Seed = 2 }).Fit(binned, labels));

        Assert.Contains("seed 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("seed 2", error.Message, StringComparison.Ordinal);
    }
}
