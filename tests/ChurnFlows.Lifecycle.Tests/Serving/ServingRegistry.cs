using ChurnFlows.Lifecycle.Registry;
using ChurnFlows.Lifecycle.Serving;
using ChurnFlows.Lifecycle.Training;
using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Synthetic;
using ChurnFlows.TestKit;

namespace ChurnFlows.Lifecycle.Tests.Serving;

/// <summary>
/// A model store and registry of their own (a fresh container and table on the shared Azurite), with one
/// small model trained once per test process and saved under whatever versions a test registers.
/// </summary>
public sealed class ServingRegistry : IAsyncDisposable
{
    private static readonly Lazy<ModelArtifact> Trained = new(() => new TrainingService(new TrainingOptions { Trials = 1, MaximumIterations = 30 })
        .Train(SyntheticChurnGenerator.Generate(new() { Rows = 2_000, Seed = 3 }), "v-trained", new ModelLineage { DatasetSha256 = "test" }).Artifact);

    private readonly DisposableContainer _container;
    private readonly DisposableTable _table;

    private ServingRegistry(DisposableContainer container, DisposableTable table)
    {
        _container = container;
        _table = table;
        Store = new ModelStore(container.Client);
        Registry = new ModelRegistry(table.Client, Store);
    }

    public ModelStore Store { get; }

    public ModelRegistry Registry { get; }

    public static async Task<ServingRegistry> CreateAsync() =>
        new(await AzuriteFixture.NewContainerAsync(), await AzuriteFixture.NewTableAsync());

    /// <summary>A cache over this registry that checks for new versions on every request.</summary>
    public ModelCache NewCache() => new(Store, Registry, TimeSpan.Zero);

    /// <summary>Saves the trained model as <paramref name="version"/> (unless <paramref name="saveArtifact"/> is false) and registers it.</summary>
    public async Task<string> RegisterAsync(string version, DateTimeOffset? createdAt = null, bool saveArtifact = true)
    {
        if (saveArtifact)
        {
            await Store.SaveAsync(Trained.Value with { Version = version });
        }

        await Registry.RegisterAsync(new ModelRecord { Version = version, CreatedAt = createdAt ?? default });
        return version;
    }

    /// <summary>Registers and promotes a Production version, and registers and stages a Staging version.</summary>
    public async Task<(string Production, string Staging)> ProductionAndStagingAsync()
    {
        var production = await RegisterAsync("v-prod", DateTimeOffset.UtcNow.AddHours(-2));
        await Registry.PromoteAsync(production, "test");
        var staging = await RegisterAsync("v-canary", DateTimeOffset.UtcNow.AddHours(-1));
        await Registry.SetStageAsync(staging, ModelStage.Staging, "test");
        return (production, staging);
    }

    public async ValueTask DisposeAsync()
    {
        await _container.DisposeAsync();
        await _table.DisposeAsync();
    }
}
