using Azure.Data.Tables;
using Azure.Storage.Queues.Models;
using ChurnFlows.Durable.History;
using Xunit;

namespace ChurnFlows.Durable.AzureStorage.Tests;

/// <summary>A worker process dies (SIGKILL) mid-work; a new process finishes everything exactly once.</summary>
public sealed class CrashRecoveryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task KilledMidFanOutOf500_NewProcessFinishes_EveryActivityRanAtLeastOnce()
    {
        await using var scenario = await MultiProcessScenario.CreateAsync();
        var doomed = await scenario.StartWorkerAsync(activityDelayMs: 50); // 500 activities take seconds, so the kill lands mid-way
        var id = await scenario.Client.ScheduleNewOrchestrationInstanceAsync("FanOut", 500);
        await scenario.WaitForSideEffectsAsync(id, s => s.Rows >= 100, Patience);

        doomed.Kill();
        await doomed.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await doomed.DisposeAsync();
        Assert.True((await scenario.SideEffectsOfAsync(id)).Distinct < 500, "the worker died before finishing");
        await using var successor = await scenario.StartWorkerAsync();

        var result = await scenario.WaitAsync(id, Patience);

        Assert.Equal(500L * 501 / 2, result.ReadOutputAs<long>());
        Assert.Equal(500, (await scenario.SideEffectsOfAsync(id)).Distinct);
        Assert.Equal(1, await scenario.CompletionsInHistoryAsync(id));
    }
}

/// <summary>A worker process dies (SIGKILL) while running activities handed to it without a receive; another process runs them.</summary>
public sealed class LocalDispatchCrashTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task KilledWhileRunningActivitiesHandedOverLocally_TheyReappearAndAnotherProcessRunsThem()
    {
        await using var scenario = await MultiProcessScenario.CreateAsync();
        var doomed = await scenario.StartWorkerAsync(activityDelayMs: 600_000); // each activity records its side effect, then hangs
        var id = await scenario.Client.ScheduleNewOrchestrationInstanceAsync("FanOut", 8);
        await scenario.WaitForSideEffectsAsync(id, s => s.Distinct == 8, Patience);

        doomed.Kill();
        await doomed.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await doomed.DisposeAsync();

        // Sent hidden (several activities may share a message) and handed over, never received: once the
        // dead worker stops renewing them they reappear, still with a dequeue count of 0. The successor splits
        // a shared message into one per activity.
        var workItems = (await TestStorage.ConnectAsync()).Queues.GetQueueClient($"{scenario.HubName}-workitems");
        PeekedMessage[] reappeared = [];
        using (var cts = new CancellationTokenSource(Patience))
        {
            while ((reappeared = (await workItems.PeekMessagesAsync(32, cts.Token)).Value).Sum(m => QueueEnvelope.FromJson(m.Body.ToString()).Items?.Count ?? 1) < 8)
            {
                await Task.Delay(200, cts.Token);
            }
        }

        Assert.All(reappeared, m => Assert.Equal(0, m.DequeueCount));
        Assert.True(reappeared.Length < 8, $"{reappeared.Length} messages for 8 activities sent at once");
        await using var successor = await scenario.StartWorkerAsync();

        var result = await scenario.WaitAsync(id, Patience);

        Assert.Equal(8L * 9 / 2, result.ReadOutputAs<long>());
        var (rows, distinct) = await scenario.SideEffectsOfAsync(id);
        Assert.Equal(8, distinct);
        Assert.True(rows >= 16, $"{rows} runs"); // every activity ran in the dead process and again in the successor
        Assert.Equal(1, await scenario.CompletionsInHistoryAsync(id));
    }
}

/// <summary>A worker kills itself at a checkpoint stage; a new process completes every orchestration once.</summary>
public sealed class CheckpointCrashTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData("HistoryWritten:terminal")]
    [InlineData("MessagesSent:2")]
    public async Task KilledInsideCheckpoint_NewProcessCompletesEveryOrchestrationOnce(string killAt)
    {
        await using var scenario = await MultiProcessScenario.CreateAsync();
        var doomed = await scenario.StartWorkerAsync(killAt);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await scenario.Client.ScheduleNewOrchestrationInstanceAsync("FanOut", 30));
        }

        await doomed.WaitForExitAsync(Patience);
        Assert.Contains("killing at", doomed.Output, StringComparison.Ordinal);
        await doomed.DisposeAsync();
        if (killAt.EndsWith("terminal", StringComparison.Ordinal))
        {
            Assert.True(await AnyRowStaleAsync(scenario, ids), "history is complete but the instance row still says running");
        }

        await using var successor = await scenario.StartWorkerAsync();
        foreach (var id in ids)
        {
            var result = await scenario.WaitAsync(id, Patience);
            Assert.Equal(30L * 31 / 2, result.ReadOutputAs<long>());
            Assert.Equal(1, await scenario.CompletionsInHistoryAsync(id));
            Assert.Equal(30, (await scenario.SideEffectsOfAsync(id)).Distinct);
        }
    }

    /// <summary>Reads the raw rows (no repair): some instance's history ends with ExecutionCompleted while its row is not completed.</summary>
    private static async Task<bool> AnyRowStaleAsync(MultiProcessScenario scenario, IEnumerable<string> ids)
    {
        var instances = (await TestStorage.ConnectAsync()).HubTable(scenario.HubName, "Instances");
        foreach (var id in ids)
        {
            var row = await instances.GetEntityIfExistsAsync<TableEntity>(id, string.Empty);
            var completed = (await scenario.Client.GetOrchestrationHistoryAsync(id)).OfType<ExecutionCompletedEvent>().Any();
            if (completed && (row.HasValue ? row.Value!.GetString("RuntimeStatus") : null) != "Completed")
            {
                return true;
            }
        }

        return false;
    }
}
