using ChurnFlows.ML.Data;
using ChurnFlows.ML.Linear;
using ChurnFlows.ML.Tests.Trees;
using ChurnFlows.ML.Trees;
using Xunit;

namespace ChurnFlows.ML.Tests.Linear;

public class LogisticRegressionBinaryTrainerTests
{
    [Fact]
    public void Fit_KnownLogisticModel_RecoversCoefficients()
    {
        var random = new Random(31);
        const int n = 40_000;
        var x0 = new double[n];
        var x1 = new double[n];
        var labels = new float[n];
        for (var i = 0; i < n; i++)
        {
            x0[i] = random.NextDouble() * 2 - 1;
            x1[i] = random.NextDouble() * 2 - 1;
            var p = 1 / (1 + Math.Exp(-(0.5 + (2.0 * x0[i]) - (1.0 * x1[i]))));
            labels[i] = random.NextDouble() < p ? 1f : 0f;
        }

        var model = new LogisticRegressionBinaryTrainer(new() { L2Regularization = 0 }).Fit(new FeatureMatrix(["a", "b"], [x0, x1]), labels);

        // Back in raw units: coefficient = weight / scale, intercept = bias − Σ weight·mean/scale.
        Assert.Equal(2.0, model.Weights[0] / model.Scales[0], 1);
        Assert.Equal(-1.0, model.Weights[1] / model.Scales[1], 1);
        var intercept = model.Bias - (model.Weights[0] * model.Means[0] / model.Scales[0]) - (model.Weights[1] * model.Means[1] / model.Scales[1]);
        Assert.Equal(0.5, intercept, 1);
    }

    [Fact]
    public void Fit_MissingValues_ImputesTrainingMean()
    {
        var (train, labels) = TreeTestData.Logistic(5_000, seed: 32, missingRate: 0.2);
        var model = new LogisticRegressionBinaryTrainer().Fit(train, labels);
        var row = new double[train.ColumnCount];
        train.CopyRow(0, row);
        row[5] = double.NaN;
        var imputed = (double[])row.Clone();
        imputed[5] = model.Means[5];

        Assert.Equal(model.PredictRaw(imputed), model.PredictRaw(row), 12);
    }

    [Fact]
    public void Fit_SameDataDifferentThreadCounts_IdenticalModels()
    {
        var (train, labels) = TreeTestData.Logistic(30_000, seed: 33);

        var one = new LogisticRegressionBinaryTrainer(new() { NumberOfThreads = 1 }).Fit(train, labels);
        var two = new LogisticRegressionBinaryTrainer(new() { NumberOfThreads = 2 }).Fit(train, labels);

        Assert.Equal(one.ToJson(), two.ToJson());
    }

    [Fact]
    public void ToJson_RoundTrip_IdenticalPredictions()
    {
        var (train, labels) = TreeTestData.Logistic(3_000, seed: 34);
        var model = new LogisticRegressionBinaryTrainer().Fit(train, labels);

        var copy = LogisticRegressionModel.FromJson(model.ToJson());

        Assert.Equal(model.PredictProbabilities(train), copy.PredictProbabilities(train));
    }

    [Fact]
    public void Fit_NonlinearSignal_GbdtBeatsLogisticRegression()
    {
        var (train, labels) = TreeTestData.Logistic(20_000, seed: 35);
        var (test, testLabels) = TreeTestData.Logistic(10_000, seed: 36);

        var linear = new LogisticRegressionBinaryTrainer().Fit(train, labels);
        var gbdt = new GbdtBinaryTrainer().Fit(train, labels);

        var linearAuc = TreeTestData.RocAuc(testLabels, linear.PredictProbabilities(test));
        var gbdtAuc = TreeTestData.RocAuc(testLabels, gbdt.PredictProbabilities(test));
        Assert.True(gbdtAuc > linearAuc, $"GBDT {gbdtAuc} vs LR {linearAuc}");
    }

    [Fact]
    public void Constructor_NegativeL2_ThrowsNamingTheOption()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticRegressionBinaryTrainer(new() { L2Regularization = -1 }));

        Assert.Equal("L2Regularization", error.ParamName);
    }
}
