using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using ChurnFlows.Functions.Hosting;
using ChurnFlows.Functions.Hosting.Azurite;
using ChurnFlows.Functions.Hosting.Standalone;
using ChurnFlows.TestKit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChurnFlows.Functions.Tests.Hosting;

public sealed class BlobTriggerPollerTests
{
    private sealed class FailingHandler(InvocationRecorder recorder) : ITriggerHandler
    {
        public Task HandleAsync(TriggerInvocation invocation, CancellationToken cancellationToken)
        {
            recorder.Invocations.Enqueue(invocation);
            throw new InvalidOperationException("always fails");
        }
    }

    /// <summary>A fresh poller over the same storage, as after a process restart.</summary>
    private static (BlobTriggerPoller Poller, InvocationRecorder Recorder) StartPoller(StorageClients account, FunctionTable table, ILogger<BlobTriggerPoller>? logger = null)
    {
        var services = new ServiceCollection().AddSingleton<InvocationRecorder>().AddLogging().BuildServiceProvider();
        var options = Options.Create(new FunctionsHostingOptions { MaxDequeueCount = 2, BlobPollInterval = TimeSpan.FromMilliseconds(100) });
        var configuration = new ConfigurationBuilder().Build();
        var dispatcher = new TriggerDispatcher(services.GetRequiredService<IServiceScopeFactory>(), NullLogger<TriggerDispatcher>.Instance);
        var poller = new BlobTriggerPoller(table, dispatcher, new StorageConnections(account, configuration), options, logger ?? NullLogger<BlobTriggerPoller>.Instance);
        return (poller, services.GetRequiredService<InvocationRecorder>());
    }

    [Fact]
    public async Task PollOnce_AcrossRestart_ProcessesEachBlobVersionOnce()
    {
        var account = await AzuriteFixture.GetClientsAsync();
        await using var container = await AzuriteFixture.NewContainerAsync();
        var table = new FunctionTable().AddBlob<RecordingHandler>(UniqueName.Alphanumeric("Ingest"), container.Client.Name + "/drops/{name}");
        var drop = container.Client.GetBlobClient("drops/one.csv");
        await drop.UploadAsync(BinaryData.FromString("a,b\n1,2\n"));
        await container.Client.GetBlobClient("elsewhere/ignored.csv").UploadAsync(BinaryData.FromString("x"));

        var (first, firstRecorder) = StartPoller(account, table);
        Assert.Equal(1, await first.PollOnceAsync());
        Assert.Equal(0, await first.PollOnceAsync());
        var invocation = Assert.Single(firstRecorder.Invocations);
        Assert.Equal("drops/one.csv", invocation.Blob!.Name);
        Assert.Equal("a,b\n1,2\n", invocation.Blob.Content.ToString());

        var (restarted, restartedRecorder) = StartPoller(account, table);
        Assert.Equal(0, await restarted.PollOnceAsync());
        Assert.Empty(restartedRecorder.Invocations);

        await drop.UploadAsync(BinaryData.FromString("a,b\n3,4\n"), overwrite: true);
        Assert.Equal(1, await restarted.PollOnceAsync());
        Assert.Equal("a,b\n3,4\n", Assert.Single(restartedRecorder.Invocations).Blob!.Content.ToString());
    }

    [Fact]
    public async Task PollOnce_HandlerKeepsFailing_RetriesUntilMaxAttemptsThenGivesUp()
    {
        var account = await AzuriteFixture.GetClientsAsync();
        await using var container = await AzuriteFixture.NewContainerAsync();
        var table = new FunctionTable().AddBlob(UniqueName.Alphanumeric("Broken"), container.Client.Name + "/{name}", sp => ActivatorUtilities.CreateInstance<FailingHandler>(sp));
        await container.Client.GetBlobClient("bad.csv").UploadAsync(BinaryData.FromString("?"));
        var (poller, recorder) = StartPoller(account, table);

        var handed = new[] { await poller.PollOnceAsync(), await poller.PollOnceAsync(), await poller.PollOnceAsync() };

        Assert.Equal([1, 1, 0], handed);
        Assert.Equal(2, recorder.Invocations.Count);
    }

    [Fact]
    public async Task Run_StorageUnreachable_LogsOneLineNamingTheReason_AndKeepsPolling()
    {
        var port = UnusedLoopbackPort();
        var connectionString = AzuriteProcess.ConnectionStringFor(port, port, port);
        var account = new StorageClients(
            new BlobServiceClient(connectionString, new BlobClientOptions { Retry = { MaxRetries = 0 } }),
            new QueueServiceClient(connectionString),
            new TableServiceClient(connectionString, new TableClientOptions { Retry = { MaxRetries = 0 } }));
        var table = new FunctionTable().AddBlob("Ingest", "churn-incoming/{name}", sp => ActivatorUtilities.CreateInstance<FailingHandler>(sp));
        var logger = new RecordingLogger<BlobTriggerPoller>();
        var (poller, _) = StartPoller(account, table, logger);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var running = poller.RunAsync(stop.Token);
        while (logger.Entries.Count < 3 && !stop.IsCancellationRequested)
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await running;
        Assert.True(logger.Entries.Count >= 3, "the poller stopped polling after the first failure");
        Assert.All(logger.Entries, entry =>
        {
            Assert.Equal(LogLevel.Warning, entry.Level);
            Assert.Null(entry.Exception); // no stack trace every interval
            Assert.StartsWith("Blob poll could not reach storage; retrying in 0.1 s: ", entry.Message, StringComparison.Ordinal);
            Assert.Contains("Connection refused", entry.Message, StringComparison.Ordinal);
        });
    }

    private static int UnusedLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
