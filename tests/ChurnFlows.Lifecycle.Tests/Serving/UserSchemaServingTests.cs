using System.Text;
using ChurnFlows.Durable.Client;
using ChurnFlows.Durable.Hub;
using ChurnFlows.Lifecycle.Registry;
using ChurnFlows.Lifecycle.Serving;
using ChurnFlows.Lifecycle.Training;
using ChurnFlows.ML.Artifacts;
using ChurnFlows.TestKit;

namespace ChurnFlows.Lifecycle.Tests.Serving;

public class UserSchemaServingTests
{
    [Fact]
    public async Task UserSchemaWithACategoricalColumn_IsIngestedTrainedAndServed_ByConfigurationAlone()
    {
        var schemaFile = Path.Combine(Path.GetTempPath(), $"plans-schema-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(schemaFile, PlanChurnData.SchemaJson);
        try
        {
            var services = new LifecycleServices(await AzuriteFixture.GetBlobServiceAsync(), await AzuriteFixture.GetTableServiceAsync(), new DurableTaskClient(new InMemoryTaskHub()), new LifecycleOptions { SchemaPath = schemaFile });
            await services.CreateIfNotExistsAsync();
            var blob = $"accounts-{Guid.NewGuid():N}.csv";
            await services.Containers.Incoming.GetBlobClient(blob).UploadAsync(BinaryData.FromString(PlanChurnData.ToCsv(4_000, seed: 21)));

            var ingested = await services.Ingestion.IngestAsync(blob);
            Assert.True(ingested.Accepted, ingested.Report.ToJson());
            var silver = await services.Gold.LoadSilverAsync(ingested.Sha256);
            var artifact = new TrainingService(new TrainingOptions { Trials = 3, MaximumIterations = 100 }).Train(silver, $"p{Guid.NewGuid():N}"[..12], new ModelLineage { DatasetSha256 = ingested.Sha256 }).Artifact;
            await using var models = await AzuriteFixture.NewContainerAsync();
            var store = new ModelStore(models.Client);
            await store.SaveAsync(artifact);
            await store.PromoteAsync(artifact.Version);
            using var cache = new ModelCache(store, services.Registry, TimeSpan.FromMinutes(1));
            var served = (await new CanaryRouter(cache, 0).GetModelsAsync())!;

            var trial = Score(served, "\"trial\"");
            var business = Score(served, "\"business\"");
            var unseen = Score(served, "\"platinum\"");

            Assert.True(trial.Probability > business.Probability + 0.3, $"trial {trial.Probability:F3}, business {business.Probability:F3}");
            Assert.Contains(trial.TopReasons, r => r.Feature == "plan" && r.Category == "trial" && r.Contribution > 0);
            Assert.Contains(business.TopReasons, r => r.Feature == "plan" && r.Category == "business" && r.Contribution < 0);
            Assert.InRange(unseen.Probability, business.Probability, trial.Probability);
            Assert.Equal("plan", Assert.Single(served.Production.Artifact.Pipeline.Vocabularies).Column);
        }
        finally
        {
            File.Delete(schemaFile);
        }
    }

    private static PredictionResult Score(ServingModels models, string plan)
    {
        var errors = new List<FieldError>();
        var read = JsonCustomerReader.Read(Encoding.UTF8.GetBytes($$"""{"account":"X1","plan":{{plan}},"tenure_months":12,"monthly_fee":30}"""), models, errors);
        Assert.Empty(errors);
        return PredictionService.Predict(read.Customer!);
    }
}
