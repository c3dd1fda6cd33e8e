using Azure.Storage.Blobs.Models;
using ChurnFlows.Durable;
using ChurnFlows.Durable.AzureStorage;
using ChurnFlows.Durable.Client;
using ChurnFlows.Functions.Hosting.Azurite;
using ChurnFlows.Lifecycle.Orchestration;
using ChurnFlows.Lifecycle.Training;
using ChurnFlows.ML.Synthetic;
using ChurnFlows.TestKit;

namespace ChurnFlows.Lifecycle.Tests.Orchestration;

/// <summary>
/// The whole lifecycle in one test process: its own Azurite (the product's containers and tables have
/// fixed names, so each host gets a private account), a task hub, a durable worker running every
/// lifecycle orchestration and activity on the Azure Storage task hub, and the services the HTTP API would use.
/// </summary>
public sealed class LifecycleHost : IAsyncDisposable
{
    private readonly AzuriteProcess _azurite;
    private readonly LifecycleRuntime _runtime;

    private LifecycleHost(AzuriteProcess azurite, LifecycleRuntime runtime)
    {
        _azurite = azurite;
        _runtime = runtime;
    }

    /// <summary>Small, fast settings with gates loose enough for a few thousand synthetic rows.</summary>
    public static LifecycleOptions FastOptions { get; } = new()
    {
        Retrain = new RetrainSettings
        {
            Trials = 8,
            BatchSize = 4,
            MaximumIterations = 120,
            EarlyStoppingRounds = 20,
            PlateauWaves = 0,
            Thresholds = new PromotionThresholds(0.80, 0.55, 0.55),
        },
    };

    public LifecycleServices Services => _runtime.Services;

    public DurableTaskClient Client => Services.Client;

    public static async Task<LifecycleHost> StartAsync(LifecycleOptions? options = null)
    {
        var azurite = await AzuriteProcess.StartAsync(new AzuriteOptions());
        var account = AzuriteFixture.Connect(azurite.ConnectionString);
        var hub = new AzureStorageTaskHub(account.Blobs, account.Queues, account.Tables, new AzureStorageTaskHubOptions { TaskHubName = "lifecycletest" });
        var runtime = await LifecycleRuntime.StartAsync(account.Blobs, account.Tables, hub, options ?? FastOptions, LifecycleRuntime.DefaultWorkerOptions with { MaxConcurrentActivities = 4 });
        return new LifecycleHost(azurite, runtime);
    }

    /// <summary>Drops a synthetic CSV into <c>churn-incoming</c> and returns its blob name.</summary>
    public async Task<string> DropAsync(string name, int rows, int seed, Func<string, string>? edit = null)
    {
        var csv = SyntheticChurnGenerator.ToCsv(new SyntheticChurnOptions { Rows = rows, Seed = seed });
        await Services.Containers.Incoming.GetBlobClient(name).UploadAsync(BinaryData.FromString(edit is null ? csv : edit(csv)), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/csv" } });
        return name;
    }

    /// <summary>Runs the ingest orchestration for <paramref name="blob"/> to completion.</summary>
    public async Task<IngestOutcome> IngestAsync(string blob, bool startRetrain)
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(IngestOrchestrator), new IngestRequest(blob, startRetrain));
        var done = await WaitAsync(id);
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"ingest {done.RuntimeStatus}: {done.FailureDetails?.ErrorMessage}");
        return done.ReadOutputAs<IngestOutcome>()!;
    }

    /// <summary>Waits for the singleton retrain to finish and returns its outcome.</summary>
    public async Task<RetrainOutcome> WaitForRetrainAsync()
    {
        var done = await WaitAsync(LifecycleServices.RetrainInstanceId);
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"retrain {done.RuntimeStatus}: {done.FailureDetails?.ErrorMessage}");
        return done.ReadOutputAs<RetrainOutcome>()!;
    }

    public async Task<OrchestrationMetadata> WaitAsync(string instanceId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        return await Client.WaitForInstanceCompletionAsync(instanceId, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _runtime.DisposeAsync();
        await _azurite.DisposeAsync();
    }
}
