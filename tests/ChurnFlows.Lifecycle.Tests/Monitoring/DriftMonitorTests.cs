using ChurnFlows.Durable.AzureStorage;
using ChurnFlows.Durable.Client;
using ChurnFlows.Functions.Hosting.Azurite;
using ChurnFlows.Lifecycle.Monitoring;
using ChurnFlows.Lifecycle.Registry;
using ChurnFlows.Lifecycle.Training;
using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Synthetic;
using ChurnFlows.TestKit;

namespace ChurnFlows.Lifecycle.Tests.Monitoring;

/// <summary>
/// The drift check reads its window as a stream; it must find what the whole window held in memory would
/// give. Each test has its own Azurite, because the registry's Production model is one per account.
/// </summary>
public sealed class DriftMonitorTests : IAsyncLifetime
{
    private static readonly Lazy<ModelArtifact> Trained = new(() => new TrainingService(new TrainingOptions { Trials = 1, MaximumIterations = 30 })
        .Train(SyntheticChurnGenerator.Generate(new() { Rows = 2_000, Seed = 3 }), "v-drift", new ModelLineage { DatasetSha256 = "test" }).Artifact);

    private static readonly DateTimeOffset Now = new(2026, 5, 2, 12, 0, 0, TimeSpan.Zero);
    private AzuriteProcess? _azurite;
    private LifecycleServices? _services;

    private LifecycleServices Services => _services!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartAsync(new AzuriteOptions());
        var account = AzuriteFixture.Connect(_azurite.ConnectionString);
        _services = new LifecycleServices(account.Blobs, account.Tables, new DurableTaskClient(new AzureStorageTaskHub(account.Blobs, account.Queues, account.Tables, new AzureStorageTaskHubOptions { TaskHubName = "drifttest" })));
        await _services.CreateIfNotExistsAsync();
        await Services.Models.SaveAsync(Trained.Value with { CreatedAt = Now.AddDays(-1) });
        await Services.Registry.RegisterAsync(new ModelRecord { Version = Trained.Value.Version, CreatedAt = Now.AddDays(-1) });
        await Services.Registry.PromoteAsync(Trained.Value.Version, "test");
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    [Fact]
    public async Task CheckAsync_DriftedTraffic_EqualsTheDetectorOnTheWholeWindowInMemory()
    {
        var served = Served(Trained.Value, new SyntheticChurnOptions { Rows = 3_000, Seed = 8, Drift = 1.0 }, Trained.Value.Version, Now.AddHours(-20), Now);
        var otherModel = Served(Trained.Value, new SyntheticChurnOptions { Rows = 500, Seed = 9 }, "v-other", Now.AddHours(-5), Now);
        var tooOld = Served(Trained.Value, new SyntheticChurnOptions { Rows = 500, Seed = 10 }, Trained.Value.Version, Now.AddHours(-30), Now.AddHours(-24.5));
        foreach (var batch in served.Concat(otherModel).Concat(tooOld).Chunk(700))
        {
            await Services.Predictions.AppendPredictionsAsync($"writer-{batch.Length % 3}", batch);
        }

        var check = await Services.Drift.CheckAsync(new DriftMonitorSettings(), Now);

        var expected = WholeWindowDrift.Compare(Trained.Value, [.. served.Select(e => (e.Features, e.Probability, e.Weight))], new DriftMonitorSettings().ToDriftOptions());
        Assert.Equal(Trained.Value.Version, check.ModelVersion);
        Assert.Equal(served.Sum(e => (long)e.Weight), check.Predictions);
        Assert.Equal(expected.Features.Select(f => (f.Feature, Math.Round(f.Psi, 12), Math.Round(f.Ks, 12), f.Severity)), check.Features.Select(f => (f.Feature, Math.Round(f.Psi, 12), Math.Round(f.Ks, 12), f.Severity)));
        Assert.Equal(expected.Prediction!.Psi, check.PredictionPsi!.Value, 12);
        Assert.NotEmpty(check.DriftedFeatures);
        Assert.Contains(check.Triggers, t => t.StartsWith("feature drift", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckAsync_Outcomes_AreScoredWithEachCustomersLatestPrediction()
    {
        // Each labelled customer was served twice: first with a score that ranks the outcomes backwards, later with
        // one that ranks them right, in the same hour. The later ones are in the blob read first, so read order
        // cannot stand in for time.
        var labels = Enumerable.Range(0, 60).Select(i => (Customer: $"C{i}", Churned: i % 3 == 0)).ToList();
        var features = new double[Trained.Value.Pipeline.FeatureNames.Count];
        PredictionLogEntry Entry(string customer, double probability, DateTimeOffset at) => new(at, Trained.Value.Version, customer, probability, features);
        var later = labels.Select((l, i) => Entry(l.Customer, l.Churned ? 0.9 - (i * 0.001) : 0.2 + (i * 0.001), Now.AddMinutes(-90))).ToList();
        var earlier = labels.Select((l, i) => Entry(l.Customer, l.Churned ? 0.1 : 0.8, Now.AddHours(-2).AddSeconds(i))).ToList();
        await Services.Predictions.AppendPredictionsAsync("writer-a", later);
        await Services.Predictions.AppendPredictionsAsync("writer-b", earlier);
        await Services.Predictions.AppendOutcomesAsync("api", [.. labels.Select(l => new OutcomeEntry(Now.AddHours(-1), l.Customer, l.Churned)), new OutcomeEntry(Now.AddHours(-1), "never-served", true)]);

        var check = await Services.Drift.CheckAsync(new DriftMonitorSettings { MinimumLabelledOutcomes = 50 }, Now);

        Assert.Equal(60, check.LabelledOutcomes);
        Assert.Equal(1.0, check.LabelledAreaUnderRocCurve);
        Assert.DoesNotContain(check.Triggers, t => t.Contains("ROC-AUC", StringComparison.Ordinal));
        Assert.Equal(120, check.Predictions);
    }

    /// <summary>The model's features for synthetic customers, served evenly from <paramref name="from"/> to <paramref name="to"/> with weights 1 to 4.</summary>
    private static List<PredictionLogEntry> Served(ModelArtifact model, SyntheticChurnOptions options, string version, DateTimeOffset from, DateTimeOffset to)
    {
        var matrix = model.Pipeline.Transform(SyntheticChurnGenerator.Generate(options));
        var random = new Random(options.Seed);
        var step = (to - from) / matrix.RowCount;
        return [.. Enumerable.Range(0, matrix.RowCount).Select(r =>
        {
            var features = new double[matrix.ColumnCount];
            matrix.CopyRow(r, features);
            return new PredictionLogEntry(from + (step * r), version, $"S{options.Seed}-{r}", random.NextDouble() * random.NextDouble(), features, Weight: 1 + (r % 4));
        })];
    }
}
