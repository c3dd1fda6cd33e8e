using ChurnFlows.Durable;
using ChurnFlows.Durable.Client;
using ChurnFlows.Durable.Hub;
using ChurnFlows.Lifecycle.Activities;
using ChurnFlows.Lifecycle.Orchestration;
using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Features;
using ChurnFlows.ML.Synthetic;
using ChurnFlows.ML.Trees;
using ChurnFlows.TestKit;

namespace ChurnFlows.Lifecycle.Tests.Activities;

public class EvaluateModelsActivityTests
{
    private static ModelArtifact Artifact(string version, TabularDataset data)
    {
        var pipeline = FeaturePipeline.Fit(data);
        var model = new GbdtBinaryTrainer(new() { NumberOfIterations = 10 }).Fit(pipeline.Transform(data), data.Labels);
        return new ModelArtifact { Version = version, Schema = data.Schema, Pipeline = pipeline, Model = model };
    }

    [Fact]
    public async Task RunAsync_ChampionTrainedOnOtherColumns_IsNotCompared_AndTheCandidateIsScored()
    {
        var services = new LifecycleServices(await AzuriteFixture.GetBlobServiceAsync(), await AzuriteFixture.GetTableServiceAsync(), new DurableTaskClient(new InMemoryTaskHub()));
        await services.CreateIfNotExistsAsync();
        var blob = $"evaluate-{Guid.NewGuid():N}.csv";
        await services.Containers.Incoming.GetBlobClient(blob).UploadAsync(BinaryData.FromString(SyntheticChurnGenerator.ToCsv(new() { Rows = 600, Seed = 31 })));
        var sha = (await services.Ingestion.IngestAsync(blob)).Sha256;
        var gold = await services.Gold.PrepareAsync(sha, seed: 1);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var champion = Artifact($"plans-{suffix}", DatasetReader.Read(new StringReader(PlanChurnData.ToCsv(600, seed: 1)), PlanChurnData.Schema).Dataset);
        var candidate = Artifact($"standard-{suffix}", await services.Gold.LoadSilverAsync(sha));
        await services.Models.SaveAsync(champion);
        await services.Models.SaveAsync(candidate);
        await services.Models.PromoteAsync(champion.Version);

        var outcome = await new EvaluateModelsActivity(services).RunAsync(new TaskActivityContext(nameof(EvaluateModelsActivity), "test", 0, default), new EvaluationRequest(gold, candidate.Version));

        Assert.Equal(champion.Version, outcome.ChampionVersion);
        Assert.Null(outcome.Champion);
        Assert.InRange(outcome.Candidate.AreaUnderRocCurve, 0.6, 1);
    }
}
