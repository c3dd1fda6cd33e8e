using ChurnFlows.Functions.Hosting;
using ChurnFlows.Functions.Hosting.Standalone;
using ChurnFlows.TestKit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChurnFlows.Functions.Tests.Hosting;

public sealed class QueueTriggerPollerTests
{
    [Fact]
    public async Task PollOnce_HandledAndFailingMessages_DeletesHandledAndPoisonsAfterMaxAttempts()
    {
        var account = await AzuriteFixture.GetClientsAsync();
        await using var queue = await AzuriteFixture.NewQueueAsync();
        await using var poison = new DisposableQueue(account.Queues.GetQueueClient(queue.Client.Name + "-poison"));
        var table = new FunctionTable().AddQueue<RecordingHandler>("Work", queue.Client.Name);
        var services = new ServiceCollection().AddSingleton<InvocationRecorder>().AddLogging().BuildServiceProvider();
        var configuration = new ConfigurationBuilder().Build();
        var options = Options.Create(new FunctionsHostingOptions { MaxDequeueCount = 1, QueueVisibilityTimeout = TimeSpan.FromSeconds(1) });
        var poller = new QueueTriggerPoller(table, new TriggerDispatcher(services.GetRequiredService<IServiceScopeFactory>(), NullLogger<TriggerDispatcher>.Instance),
            new StorageConnections(account, configuration), configuration, options, NullLogger<QueueTriggerPoller>.Instance);
        await queue.Client.SendMessageAsync("{\"retrain\":true}");
        await queue.Client.SendMessageAsync("fail");

        Assert.Equal(2, await poller.PollOnceAsync(table.Functions[0]));

        var recorder = services.GetRequiredService<InvocationRecorder>();
        Assert.Equal(["fail", "{\"retrain\":true}"], recorder.Invocations.Select(i => i.Queue!.Text).Order(StringComparer.Ordinal));
        Assert.Equal(0, (await queue.Client.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Equal("fail", Assert.Single((await poison.Client.PeekMessagesAsync()).Value).MessageText);
    }
}
