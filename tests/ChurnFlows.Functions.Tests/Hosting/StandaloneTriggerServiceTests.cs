using System.Net;
using ChurnFlows.Functions.Hosting;
using ChurnFlows.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace ChurnFlows.Functions.Tests.Hosting;

public sealed class StandaloneTriggerServiceTests
{
    [Fact]
    public async Task Standalone_TimerWithRunOnStartup_RunsInProcessAndHostEndpointsAreNotExposed()
    {
        await using var app = FunctionsApp.Create(
            new Dictionary<string, string?> { ["ChurnFlows:HostMode"] = "Standalone", ["Schedules:Nightly"] = "0 0 3 * * *" },
            table => table.AddTimer<RecordingHandler>("NightlyJob", "%Schedules:Nightly%", runOnStartup: true));
        using var client = app.CreateClient();
        var recorder = app.Services.GetRequiredService<InvocationRecorder>();

        for (var i = 0; i < 100 && recorder.Invocations.IsEmpty; i++)
        {
            await Task.Delay(20);
        }

        var invocation = Assert.Single(recorder.Invocations);
        Assert.Equal("NightlyJob", invocation.FunctionName);
        Assert.False(invocation.Timer!.IsPastDue);
        Assert.Equal(3, invocation.Timer.Next!.Value.Hour);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/NightlyJob", new StringContent("{}"))).StatusCode);
    }

    [Fact]
    public async Task Standalone_BlobDropAndQueueMessage_BackgroundPollersRunTheHandlers()
    {
        var azurite = await AzuriteFixture.GetAsync();
        await using var container = await AzuriteFixture.NewContainerAsync();
        await using var queue = await AzuriteFixture.NewQueueAsync();
        var handled = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var app = FunctionsApp.Create(
            new Dictionary<string, string?>
            {
                ["ChurnFlows:HostMode"] = "Standalone",
                ["ChurnFlows:BlobPollInterval"] = "00:00:00.200",
                ["ChurnFlows:QueuePollInterval"] = "00:00:00.100",
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
            },
            table => table
                .AddBlob(UniqueName.Alphanumeric("Drop"), container.Client.Name + "/{name}", TriggerHandler.From((invocation, services, ct) => Enqueue(handled, "blob:" + invocation.Blob!.Name)))
                .AddQueue(UniqueName.Alphanumeric("Work"), queue.Client.Name, TriggerHandler.From((invocation, services, ct) => Enqueue(handled, "queue:" + invocation.Queue!.Text))));
        _ = app.Services;

        await container.Client.GetBlobClient("new.csv").UploadAsync(BinaryData.FromString("a\n1\n"));
        await queue.Client.SendMessageAsync("go");
        for (var i = 0; i < 150 && handled.Count < 2; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(["blob:new.csv", "queue:go"], handled.Order(StringComparer.Ordinal));
    }

    private static Task Enqueue(System.Collections.Concurrent.ConcurrentQueue<string> handled, string item)
    {
        handled.Enqueue(item);
        return Task.CompletedTask;
    }
}
