using Azure.Storage.Blobs.Models;
using ChurnFlows.Durable;
using ChurnFlows.Durable.AzureStorage;
using ChurnFlows.Durable.Client;
using ChurnFlows.Functions.Hosting.Azurite;
using ChurnFlows.Lifecycle;
using ChurnFlows.Lifecycle.Orchestration;
using ChurnFlows.ML.Synthetic;
using ChurnFlows.TestKit;
using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Functions.Tests.Hosting;

public class WorkerCrashTests
{
    private const int Trials = 8;

    [Fact]
    public async Task KilledMidTuning_ASecondProcessFinishesTheRun_WithOneModelVersion()
    {
        await using var azurite = await AzuriteProcess.StartAsync(new AzuriteOptions());
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["ChurnFlows__TaskHub"] = "crashtest",
            ["ChurnFlows__PartitionLeaseSeconds"] = "15",
            ["ChurnFlows__Lifecycle__Retrain__Trials"] = Trials.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ChurnFlows__Lifecycle__Retrain__BatchSize"] = "2",
            ["ChurnFlows__Lifecycle__Retrain__MaximumIterations"] = "300",
            ["ChurnFlows__Lifecycle__Retrain__EarlyStoppingRounds"] = "300",
            ["ChurnFlows__Lifecycle__Retrain__Thresholds__MinimumRecall"] = "0.5",
            ["ChurnFlows__Lifecycle__Retrain__Thresholds__MinimumPrecision"] = "0.5",
        };
        var account = AzuriteFixture.Connect(azurite.ConnectionString);
        await using var hub = new AzureStorageTaskHub(account.Blobs, account.Queues, account.Tables, new AzureStorageTaskHubOptions { TaskHubName = "crashtest" });
        await hub.CreateIfNotExistsAsync(); // the test starts the ingestion itself, maybe before the app has created the hub
        var lifecycle = new LifecycleServices(account.Blobs, account.Tables, new DurableTaskClient(hub));
        await lifecycle.CreateIfNotExistsAsync();

        await using (var first = await AppProcess.StartAsync(settings))
        {
            var csv = SyntheticChurnGenerator.ToCsv(new SyntheticChurnOptions { Rows = 12_000, Seed = 5 });
            await lifecycle.Containers.Incoming.GetBlobClient("crash.csv").UploadAsync(BinaryData.FromString(csv), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/csv" } });
            await lifecycle.StartIngestAsync("crash.csv", System.Text.Encoding.UTF8.GetBytes(csv));
            var run = await WaitForRetrainRunAsync(lifecycle, first);
            await WaitUntilAsync(async () => await CountFinishedTrialsAsync(lifecycle, run) >= 2, first);
            Assert.True(await CountFinishedTrialsAsync(lifecycle, run) < Trials, "the kill must land mid-tuning");
            first.Kill();
        }

        await using var second = await AppProcess.StartAsync(settings);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var done = await lifecycle.Client.WaitForInstanceCompletionAsync(LifecycleServices.RetrainInstanceId, timeout.Token);

        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{done.RuntimeStatus}: {done.FailureDetails?.ErrorMessage}{Environment.NewLine}{second.Output}");
        var outcome = done.ReadOutputAs<RetrainOutcome>()!;
        Assert.Equal(Trials, outcome.Tuning.Completed + outcome.Tuning.Pruned + outcome.Tuning.Failed);
        var (state, _) = await lifecycle.Trials.LoadAsync(outcome.RunId, StudyDirection.Maximize, 42);
        Assert.Equal(Trials, state.Trials.Count);
        Assert.All(state.Trials, t => Assert.NotEqual(TrialState.Running, t.State));
        var models = await lifecycle.Containers.Models.GetBlobsAsync().Where(b => b.Name.EndsWith(".cfm", StringComparison.Ordinal)).ToListAsync();
        Assert.Single(models);
        Assert.Single(await lifecycle.Registry.ListAsync());
        Assert.Equal($"{outcome.CandidateVersion}.cfm", models[0].Name);
    }

    private static async Task<string> WaitForRetrainRunAsync(LifecycleServices lifecycle, ChildProcess app)
    {
        string? run = null;
        try
        {
            await WaitUntilAsync(async () => (run = (await lifecycle.Client.GetInstanceAsync(LifecycleServices.RetrainInstanceId))?.ReadInputAs<RetrainRequest>()?.RunId) is not null, app);
        }
        catch (Xunit.Sdk.XunitException e)
        {
            var instances = await lifecycle.Client.GetAllInstancesAsync().Select(i => $"{i.InstanceId} {i.Name} {i.RuntimeStatus} {i.SerializedCustomStatus} {i.FailureDetails?.ErrorMessage}").ToListAsync();
            throw new Xunit.Sdk.XunitException($"no retrain run; instances:{Environment.NewLine}{string.Join(Environment.NewLine, instances)}{Environment.NewLine}{e.Message}");
        }

        return run!;
    }

    private static async Task<int> CountFinishedTrialsAsync(LifecycleServices lifecycle, string study)
    {
        var (state, _) = await lifecycle.Trials.LoadAsync(study, StudyDirection.Maximize, 42);
        return state.Trials.Count(t => t.State != TrialState.Running);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, ChildProcess? app)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (!await condition())
        {
            Assert.False(timeout.IsCancellationRequested, "timed out" + Environment.NewLine + app?.Output);
            await Task.Delay(100, CancellationToken.None);
        }
    }
}
