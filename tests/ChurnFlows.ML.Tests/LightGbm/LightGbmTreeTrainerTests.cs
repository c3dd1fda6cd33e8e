using ChurnFlows.ML.Data;
using ChurnFlows.ML.Explain;
using ChurnFlows.ML.Features;
using ChurnFlows.ML.LightGbm;
using ChurnFlows.ML.Synthetic;
using ChurnFlows.ML.Tests.Trees;
using ChurnFlows.TestKit;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace ChurnFlows.ML.Tests.LightGbm;

public class LightGbmTreeTrainerTests
{
    private static readonly LightGbmTreeTrainer.Options Small = new() { NumberOfIterations = 40, NumberOfThreads = 2, Seed = 5 };

    [Fact]
    public void Fit_StandardChurnHeldOutRows_ScoresEqualMlNetTransformIncludingMissing()
    {
        var (train, trainLabels, test) = Features(SyntheticChurnGenerator.Generate(new() { Rows = 4_000, Seed = 3 }), SyntheticChurnGenerator.Generate(new() { Rows = 1_000, Seed = 4, MissingRate = 0.2 }));

        var fit = new LightGbmTreeTrainer(Small).Fit(train, trainLabels);

        Assert.NotEmpty(fit.Imputation.IndicatedFeatures);
        Assert.Contains(fit.Model.Trees, t => t.SplitFeatures.Any(f => fit.Imputation.IndicatedFeatures.Contains(f)));
        AssertScoresEqualMlNet(fit, test, requireMissingRows: true);
    }

    [Fact]
    public void Fit_CategoricalColumnHeldOutRows_ScoresEqualMlNetTransformIncludingUnknownAndMissingPlans()
    {
        static TabularDataset Read(string csv) => DatasetReader.Read(new StringReader(csv), PlanChurnData.Schema).Dataset;
        var (train, trainLabels, test) = Features(Read(PlanChurnData.ToCsv(3_000, seed: 1)), Read(PlanChurnData.ToCsv(500, seed: 2) + "Z1,platinum,12,30.00,0\nZ2,,12,30.00,0\nZ3,basic,,,1\n"));

        var fit = new LightGbmTreeTrainer(Small).Fit(train, trainLabels);

        Assert.Contains(fit.Model.Trees, t => t.SplitFeatures.Contains(train.FeatureNames.ToList().IndexOf("plan")));
        AssertScoresEqualMlNet(fit, test, requireMissingRows: true);
    }

    [Fact]
    public void Fit_NothingMissingInTraining_NoIndicatorsAndMissingServingValuesScoredAsMlNetDoes()
    {
        var (train, labels) = TreeTestData.Logistic(2_000, seed: 12, missingRate: 0);
        var (test, _) = TreeTestData.Logistic(300, seed: 13, missingRate: 0.3);

        var fit = new LightGbmTreeTrainer(Small).Fit(train, labels);

        Assert.Empty(fit.Imputation.IndicatedFeatures);
        AssertScoresEqualMlNet(fit, test, requireMissingRows: true);
    }

    [Fact]
    public void Fit_TrainedModel_TreeShapContributionsSumToRawScore()
    {
        var (train, labels) = TreeTestData.Logistic(3_000, seed: 21);
        var model = new LightGbmTreeTrainer(Small).Fit(train, labels).Model;
        var shap = new TreeShap(model);
        var row = new double[train.ColumnCount];
        var phi = new double[train.ColumnCount];

        for (var i = 0; i < 300; i++)
        {
            train.CopyRow(i, row);
            shap.Explain(row, phi);
            Assert.Equal(model.PredictRaw(row), shap.ExpectedValue + phi.Sum(), 9);
        }
    }

    [Fact]
    public void Model_CoversCountedOnTrainingRows_ExpectedValueIsMeanTrainingRawScore()
    {
        var (train, labels) = TreeTestData.Logistic(2_000, seed: 22);
        var fit = new LightGbmTreeTrainer(Small).Fit(train, labels);

        var mean = fit.Model.PredictProbabilities(train).Select(p => Math.Log(p / (1 - p))).Average();

        Assert.Equal(mean, new TreeShap(fit.Model).ExpectedValue, 6);
        Assert.Equal(fit.PredictProbabilities(train), fit.Model.PredictProbabilities(train));
    }

    [Fact]
    public void Fit_EarlyStopping_EndsAtBestValidationIterationBeforeBudget()
    {
        var (train, labels) = TreeTestData.Logistic(3_000, seed: 7);
        var (valid, validLabels) = TreeTestData.Logistic(1_000, seed: 8);

        var fit = new LightGbmTreeTrainer(Small with { NumberOfIterations = 1_000, LearningRate = 0.3, EarlyStoppingRounds = 10 }).Fit(train, labels, valid, validLabels);

        Assert.InRange(fit.Iterations, 1, 999);
        Assert.Equal("binary_logloss", fit.Parameters["metric"]);
        Assert.Equal("10", fit.Parameters["early_stopping_round"]);
    }

    [Fact]
    public void Fit_SameSeedDifferentThreadCounts_SameTrees()
    {
        var (train, labels) = TreeTestData.Logistic(3_000, seed: 9);
        var options = Small with { BaggingFraction = 0.7, BaggingFrequency = 1, FeatureFraction = 0.8 };

        var one = new LightGbmTreeTrainer(options with { NumberOfThreads = 1 }).Fit(train, labels).Model;
        var two = new LightGbmTreeTrainer(options with { NumberOfThreads = 2 }).Fit(train, labels).Model;

        Assert.Equal(one.ToJson(), two.ToJson());
    }

    [Fact]
    public void Fit_EarlyStoppingWithoutValidation_ThrowsNamingTheOption()
    {
        var (train, labels) = TreeTestData.Logistic(500, seed: 1);

        var error = Assert.Throws<ArgumentException>(() => new LightGbmTreeTrainer(Small with { EarlyStoppingRounds = 5 }).Fit(train, labels));

        Assert.Contains("EarlyStoppingRounds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_ZeroThreads_ThrowsNamingTheOption()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LightGbmTreeTrainer(Small with { NumberOfThreads = 0 }));

        Assert.Equal("NumberOfThreads", error.ParamName);
    }

    [Fact]
    public void Lineage_Fit_RecordsLightGbmVersionsAndParameters()
    {
        var (train, labels) = TreeTestData.Logistic(500, seed: 2);

        var lineage = new LightGbmTreeTrainer(Small).Fit(train, labels).Lineage;

        Assert.Equal("LightGBM", lineage.Library);
        Assert.Equal("4.6.0", lineage.LibraryVersion);
        Assert.Equal("Microsoft.ML.LightGbm 6.0.0", lineage.Package);
        Assert.Equal("40", lineage.Parameters["num_iterations"]);
        Assert.Equal("2", lineage.Parameters["num_threads"]);
    }

    internal static (FeatureMatrix Train, float[] Labels, FeatureMatrix Test) Features(TabularDataset train, TabularDataset test)
    {
        var pipeline = FeaturePipeline.Fit(train);
        return (pipeline.Transform(train), train.Labels, pipeline.Transform(test));
    }

    /// <summary>Loads the saved ML.NET model and compares its Transform scores with ours on the held-out rows.</summary>
    internal static void AssertScoresEqualMlNet(LightGbmModel fit, FeatureMatrix test, bool requireMissingRows)
    {
        var ml = new MLContext();
        var loaded = ml.Model.Load(new MemoryStream(fit.SaveMlNetModel()), out _);
        var rows = Enumerable.Range(0, test.RowCount).Select(i => new Row { Features = [.. Enumerable.Range(0, test.ColumnCount).Select(j => (float)test[i, j])] });
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, test.ColumnCount);
        var scored = loaded.Transform(ml.Data.LoadFromEnumerable(rows, definition));
        var scores = scored.GetColumn<float>("Score").ToArray();
        var probabilities = scored.GetColumn<float>("Probability").ToArray();
        var ours = fit.Model.PredictProbabilities(test);
        var row = new double[test.ColumnCount];
        var missingRows = 0;
        for (var i = 0; i < test.RowCount; i++)
        {
            test.CopyRow(i, row);
            missingRows += row.Any(double.IsNaN) ? 1 : 0;
            Assert.Equal(scores[i], fit.Model.PredictRaw(row), 1e-6 * Math.Max(1, Math.Abs(scores[i])));
            Assert.Equal(probabilities[i], ours[i], 1e-6);
        }

        Assert.True(!requireMissingRows || missingRows > 0, "The held-out rows have no missing value.");
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = [];
    }
}
