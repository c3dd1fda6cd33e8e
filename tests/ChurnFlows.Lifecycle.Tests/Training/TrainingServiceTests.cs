using ChurnFlows.Lifecycle.Registry;
using ChurnFlows.Lifecycle.Training;
using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Evaluation;
using ChurnFlows.ML.Synthetic;
using ChurnFlows.TestKit;

namespace ChurnFlows.Lifecycle.Tests.Training;

public class TrainingServiceTests
{
    [Fact]
    public async Task Train_ThenSavePromoteAndLoad_ServesIdenticalPredictions()
    {
        var data = SyntheticChurnGenerator.Generate(new() { Rows = 6_000, Seed = 5 });
        var outcome = new TrainingService(new TrainingOptions { Trials = 4, MaximumIterations = 150 }).Train(data, "v0001", new ModelLineage { DatasetSha256 = "abc" });
        await using var models = await AzuriteFixture.NewContainerAsync();
        var store = new ModelStore(models.Client);

        await store.SaveAsync(outcome.Artifact);
        await store.SaveAsync(outcome.Artifact); // idempotent
        await store.PromoteAsync("v0001");
        var loaded = await store.LoadAsync((await store.GetProductionVersionAsync())!);

        var x = loaded.Pipeline.Transform(data);
        Assert.Equal(outcome.Artifact.Model.PredictProbabilities(x), loaded.Model.PredictProbabilities(x));
        Assert.Equal(4, outcome.Study.Trials.Count);
        Assert.True(outcome.Artifact.Metrics!.AreaUnderRocCurve > 0.85);
        Assert.Equal("abc", loaded.Lineage.DatasetSha256);
        Assert.NotEmpty(loaded.Lineage.Parameters);
    }

    [Fact]
    public void Gate_EachThresholdMissed_RefusesWithReasons()
    {
        var service = new TrainingService();
        var weak = BinaryClassificationEvaluator.Evaluate([0.9, 0.8, 0.3, 0.6], [1, 0, 1, 0], 0.5);

        var decision = service.Gate(weak);

        Assert.False(decision.Promote);
        Assert.Equal(3, decision.Reasons.Count(r => r.StartsWith("FAIL", StringComparison.Ordinal)));
        Assert.Contains(decision.Reasons, r => r.Contains("ROC-AUC 0.5000 vs minimum 0.85", StringComparison.Ordinal));
    }
}
