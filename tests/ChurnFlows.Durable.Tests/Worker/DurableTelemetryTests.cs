using System.Collections.Concurrent;
using System.Diagnostics;
using ChurnFlows.Durable.Client;
using ChurnFlows.Durable.Hub;
using ChurnFlows.Durable.Worker;
using Xunit;

namespace ChurnFlows.Durable.Tests.Worker;

public class DurableTelemetryTests
{
    [Fact]
    public async Task Worker_RunsAnOrchestration_EmitsEpisodeAndActivitySpansTaggedWithTheInstance()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DurableTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var hub = new InMemoryTaskHub();
        var registry = new DurableTaskRegistry()
            .AddActivityFunc<string, string>("Shout", (_, s) => Task.FromResult(s.ToUpperInvariant()))
            .AddOrchestratorFunc<string, string>("ShoutTwice", async (ctx, s) => await ctx.CallActivityAsync<string>("Shout", s) + await ctx.CallActivityAsync<string>("Shout", s));
        await using var worker = new DurableTaskWorker(hub, registry);
        await worker.StartAsync(CancellationToken.None);
        var client = new DurableTaskClient(hub);

        var id = await client.ScheduleNewOrchestrationInstanceAsync("ShoutTwice", "hi");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var done = await client.WaitForInstanceCompletionAsync(id, timeout.Token);

        Assert.Equal("HIHI", done.ReadOutputAs<string>());
        var mine = spans.Where(s => Equals(s.GetTagItem("durable.instance_id"), id)).ToList();
        Assert.Equal(2, mine.Count(s => s.DisplayName == "activity Shout"));
        Assert.True(mine.Count(s => s.DisplayName == "orchestration episode") >= 3, string.Join(", ", mine.Select(s => s.DisplayName)));
        Assert.Contains(mine, s => Equals(s.GetTagItem("durable.orchestrator"), "ShoutTwice"));
    }
}
