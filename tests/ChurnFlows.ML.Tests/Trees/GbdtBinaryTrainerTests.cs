using ChurnFlows.ML.Data;
using ChurnFlows.ML.Trees;
using Xunit;

namespace ChurnFlows.ML.Tests.Trees;

public class GbdtBinaryTrainerTests
{
    [Fact]
    public void Fit_LogisticSignal_ReachesHighAuc()
    {
        var (train, labels) = TreeTestData.Logistic(20_000, seed: 1);
        var (test, testLabels) = TreeTestData.Logistic(5_000, seed: 2);

        var model = new GbdtBinaryTrainer().Fit(train, labels);

        var auc = TreeTestData.RocAuc(testLabels, model.PredictProbabilities(test));
        Assert.True(auc > 0.80, $"AUC {auc}");
        Assert.Equal(100, model.Trees.Count);
        Assert.All(model.Trees, t => Assert.True(t.LeafCount <= 31));
    }

    [Fact]
    public void Fit_SameSeedDifferentThreadCounts_IdenticalModels()
    {
        var (train, labels) = TreeTestData.Logistic(30_000, seed: 3);
        var options = new GbdtBinaryTrainer.Options
        {
            NumberOfIterations = 20, FeatureFraction = 0.7, BaggingFraction = 0.8, BaggingFrequency = 1, Seed = 7,
        };
        options.NumberOfThreads = 1;
        var single = new GbdtBinaryTrainer(options).Fit(train, labels);
        options.NumberOfThreads = 2;
        var dual = new GbdtBinaryTrainer(options).Fit(train, labels);

        Assert.Equal(single.ToJson(), dual.ToJson());
    }

    [Fact]
    public void Fit_DifferentSeedsWithBagging_DifferentModels()
    {
        var (train, labels) = TreeTestData.Logistic(5_000, seed: 3);
        var a = new GbdtBinaryTrainer(new() { NumberOfIterations = 5, BaggingFraction = 0.5, BaggingFrequency = 1, Seed = 1 }).Fit(train, labels);
        var b = new GbdtBinaryTrainer(new() { NumberOfIterations = 5, BaggingFraction = 0.5, BaggingFrequency = 1, Seed = 2 }).Fit(train, labels);

        Assert.NotEqual(a.ToJson(), b.ToJson());
    }

    [Fact]
    public void Fit_EarlyStoppingWithOverfittingSettings_StopsAndTruncatesToBestIteration()
    {
        var (train, labels) = TreeTestData.Logistic(3_000, seed: 4);
        var (valid, validLabels) = TreeTestData.Logistic(3_000, seed: 5);
        var options = new GbdtBinaryTrainer.Options
        {
            NumberOfIterations = 500, LearningRate = 0.5, NumberOfLeaves = 63, MinimumExampleCountPerLeaf = 2, EarlyStoppingRounds = 10,
        };

        var model = new GbdtBinaryTrainer(options).Fit(train, labels, validationFeatures: valid, validationLabels: validLabels);

        Assert.True(model.Trees.Count < 100, $"{model.Trees.Count} trees");
        Assert.Equal(model.BestIteration, model.Trees.Count);
    }

    [Fact]
    public void Fit_CallbackStops_ReportsEachIterationAndStops()
    {
        var (train, labels) = TreeTestData.Logistic(3_000, seed: 6);
        var (valid, validLabels) = TreeTestData.Logistic(1_000, seed: 7);
        var seen = new List<(int Iteration, double Metric, int Scores)>();
        var options = new GbdtBinaryTrainer.Options
        {
            NumberOfIterations = 50,
            ValidationMetric = new GbdtValidationMetric("AUC", (y, s) => TreeTestData.RocAuc(y, s), HigherIsBetter: true),
            IterationCallback = c =>
            {
                seen.Add((c.Iteration, c.ValidationMetric!.Value, c.ValidationRawScores.Length));
                if (c.Iteration == 7)
                {
                    c.Stop();
                }
            },
        };

        var model = new GbdtBinaryTrainer(options).Fit(train, labels, validationFeatures: valid, validationLabels: validLabels);

        Assert.Equal(7, model.Trees.Count);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], seen.Select(s => s.Iteration));
        Assert.All(seen, s => Assert.Equal(1_000, s.Scores));
        Assert.All(seen, s => Assert.InRange(s.Metric, 0.7, 1.0));
    }

    [Fact]
    public void Fit_LogLossCallback_MatchesModelPredictionsOnValidation()
    {
        var (train, labels) = TreeTestData.Logistic(2_000, seed: 8);
        var (valid, validLabels) = TreeTestData.Logistic(500, seed: 9);
        double[] last = [];
        var options = new GbdtBinaryTrainer.Options { NumberOfIterations = 10, IterationCallback = c => last = c.ValidationRawScores.ToArray() };

        var model = new GbdtBinaryTrainer(options).Fit(train, labels, validationFeatures: valid, validationLabels: validLabels);

        var row = new double[valid.ColumnCount];
        for (var i = 0; i < valid.RowCount; i++)
        {
            valid.CopyRow(i, row);
            Assert.Equal(model.PredictRaw(row), last[i], 9);
        }
    }

    [Fact]
    public void Fit_MaximumDepth_LimitsTreeDepth()
    {
        var (train, labels) = TreeTestData.Logistic(5_000, seed: 10);

        var model = new GbdtBinaryTrainer(new() { NumberOfIterations = 5, NumberOfLeaves = 63, MaximumDepth = 3 }).Fit(train, labels);

        Assert.All(model.Trees, t => Assert.True(t.ComputeDepth() <= 3));
        Assert.Contains(model.Trees, t => t.ComputeDepth() == 3);
    }

    [Fact]
    public void Fit_MinimumExampleCountPerLeaf_EveryLeafHoldsEnoughRows()
    {
        var (train, labels) = TreeTestData.Logistic(4_000, seed: 11);

        var model = new GbdtBinaryTrainer(new() { NumberOfIterations = 5, MinimumExampleCountPerLeaf = 150 }).Fit(train, labels);

        Assert.All(model.Trees, t => Assert.All(t.LeafCovers, c => Assert.True(c >= 150, $"leaf with {c} rows")));
    }

    [Fact]
    public void Fit_FeatureFractionOneFeature_EachTreeUsesOneFeature()
    {
        var (train, labels) = TreeTestData.Logistic(3_000, seed: 12);

        var model = new GbdtBinaryTrainer(new() { NumberOfIterations = 10, FeatureFraction = 0.1 }).Fit(train, labels);

        Assert.All(model.Trees, t => Assert.Single(t.SplitFeatures.Distinct()));
    }

    [Fact]
    public void Fit_InitScore_IsLogOddsOfLabelMean()
    {
        var (train, labels) = TreeTestData.Logistic(1_000, seed: 13);
        var mean = labels.Average(l => (double)l);

        var model = new GbdtBinaryTrainer(new() { NumberOfIterations = 1 }).Fit(train, labels);

        Assert.Equal(Math.Log(mean / (1 - mean)), model.InitScore, 12);
    }

    [Fact]
    public void Fit_LabelNotBinary_ThrowsNamingTheRow()
    {
        var features = new FeatureMatrix(["x"], [[1.0, 2.0, 3.0]]);

        var error = Assert.Throws<ArgumentException>(() => new GbdtBinaryTrainer().Fit(features, [0f, 0.5f, 1f]));

        Assert.Contains("labels[1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_EarlyStoppingWithoutValidation_Throws()
    {
        var features = new FeatureMatrix(["x"], [[1.0, 2.0, 3.0]]);

        var error = Assert.Throws<ArgumentException>(() => new GbdtBinaryTrainer(new() { EarlyStoppingRounds = 5 }).Fit(features, [0f, 1f, 1f]));

        Assert.Contains("validation", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Constructor_OptionOutOfRange_ThrowsNamingTheOption()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new GbdtBinaryTrainer(new() { NumberOfLeaves = 1 }));

        Assert.Equal("NumberOfLeaves", error.ParamName);
    }
}
