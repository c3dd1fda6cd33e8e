using ChurnFlows.ML.Data;
using ChurnFlows.ML.Evaluation;
using ChurnFlows.ML.Features;
using ChurnFlows.ML.Linear;
using ChurnFlows.ML.Synthetic;
using ChurnFlows.ML.Trees;
using Xunit;

namespace ChurnFlows.ML.Tests.Synthetic;

public class SyntheticChurnGeneratorTests
{
    [Fact]
    public void ToCsv_SameSeed_SameBytes_DifferentSeed_DifferentBytes()
    {
        var a = SyntheticChurnGenerator.ToCsv(new() { Rows = 500, Seed = 7 });
        var b = SyntheticChurnGenerator.ToCsv(new() { Rows = 500, Seed = 7 });
        var c = SyntheticChurnGenerator.ToCsv(new() { Rows = 500, Seed = 8 });
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Generate_TenThousandRows_AllAcceptedWithAboutTwentyPercentChurnAndSomeMissing()
    {
        var read = DatasetReader.Read(new StringReader(SyntheticChurnGenerator.ToCsv(new() { Rows = 10_000 })));

        Assert.Equal(10_000, read.Report.AcceptedCount);
        Assert.Equal(0, read.Report.MalformedCount);
        Assert.InRange(read.Dataset.PositiveRate, 0.15, 0.25);
        Assert.Contains(read.Dataset.Columns["feature_usage_score"], double.IsNaN);
    }

    [Fact]
    public void Gbdt_OnSyntheticChurn_ReachesAuc085AndBeatsLogisticRegression()
    {
        var data = SyntheticChurnGenerator.Generate(new() { Rows = 20_000, Seed = 42 });
        var split = DatasetSplit.Stratified(data.Labels, seed: 42);
        var train = data.SelectRows(split.Train);
        var test = data.SelectRows(split.Test);
        var pipeline = FeaturePipeline.Fit(train);
        var xTrain = pipeline.Transform(train);
        var xTest = pipeline.Transform(test);

        var gbdt = new GbdtBinaryTrainer(new() { NumberOfIterations = 200, LearningRate = 0.05, NumberOfLeaves = 15, MinimumExampleCountPerLeaf = 50 }).Fit(xTrain, train.Labels);
        var lr = new LogisticRegressionBinaryTrainer().Fit(xTrain, train.Labels);
        var gbdtAuc = BinaryClassificationEvaluator.AreaUnderRocCurve(gbdt.PredictProbabilities(xTest), test.Labels);
        var lrAuc = BinaryClassificationEvaluator.AreaUnderRocCurve(lr.PredictProbabilities(xTest), test.Labels);

        Assert.True(gbdtAuc >= 0.85, $"GBDT test ROC-AUC {gbdtAuc:F4}");
        Assert.True(gbdtAuc > lrAuc + 0.005, $"GBDT {gbdtAuc:F4} vs logistic regression {lrAuc:F4}");
    }

    [Fact]
    public void WriteCsv_Drifted_ShiftsEngagement()
    {
        var baseline = SyntheticChurnGenerator.Generate(new() { Rows = 5_000 });
        var drifted = SyntheticChurnGenerator.Generate(new() { Rows = 5_000, Seed = 43, Drift = 1 });
        static double Mean(double[] v) => v.Where(x => !double.IsNaN(x)).Average();
        Assert.True(Mean(drifted.Columns["feature_usage_score"]) < Mean(baseline.Columns["feature_usage_score"]) - 5);
    }
}
