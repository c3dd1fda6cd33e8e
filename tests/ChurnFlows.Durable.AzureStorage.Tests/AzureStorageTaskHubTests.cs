using System.Collections.Concurrent;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using ChurnFlows.Durable.Client;
using ChurnFlows.Durable.History;
using ChurnFlows.Durable.Hub;
using ChurnFlows.Durable.Tests.Conformance;
using ChurnFlows.TestKit;
using Xunit;

namespace ChurnFlows.Durable.AzureStorage.Tests;

/// <summary>What the Azure Storage hub adds beyond the conformance suite: size limits, poison, long timers, purge, duplicates, cost.</summary>
public sealed class AzureStorageTaskHubTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task LargePayloads_InputAndOutputOver64KB_RoundTripThroughBlobs()
    {
        await using var engine = await TestEngine.StartAsync(TestHubs.Options());
        var input = new string('x', 100_000) + "é";

        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync("Echo", input);
        var result = await engine.WaitAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        Assert.Equal(input + "!", result.ReadOutputAs<string>());
        Assert.Equal(input, result.ReadInputAs<string>());
        var blobs = new List<string>();
        await foreach (var blob in (await TestStorage.ConnectAsync()).Blobs.GetBlobContainerClient($"{engine.Options.TaskHubName}-largemessages").GetBlobsAsync(new GetBlobsOptions()))
        {
            blobs.Add(blob.Name);
        }

        Assert.Contains(blobs, b => b.Contains("/message-", StringComparison.Ordinal));
        Assert.Contains(blobs, b => b.Contains("/history-", StringComparison.Ordinal));
        Assert.Contains(blobs, b => b.Contains("/output-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PoisonActivity_DequeuedTooOften_MovesToPoisonQueueAndFailsTheActivity()
    {
        var options = TestHubs.Options() with { WorkItemVisibilityTimeout = TimeSpan.FromSeconds(1), MaximumActivityLockDuration = TimeSpan.FromSeconds(1), MaxDequeueCount = 2 };
        await using var engine = await TestEngine.StartAsync(options);

        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync("CallHang");
        var result = await engine.WaitAsync(id);

        Assert.Contains("PoisonMessage", result.ReadOutputAs<string>(), StringComparison.Ordinal);
        Assert.Contains($"moved to queue '{options.TaskHubName}-poison'", result.ReadOutputAs<string>(), StringComparison.Ordinal);
        Assert.Equal(1, await (await TestStorage.ConnectAsync()).MessageCountAsync($"{options.TaskHubName}-poison"));
    }

    [Fact]
    public async Task SlowActivity_RunningPastItsVisibilityTimeout_RunsOnce()
    {
        // Renewed every second, the message would reappear only if one renewal took over two seconds.
        var options = TestHubs.Options() with { WorkItemVisibilityTimeout = TimeSpan.FromSeconds(3) };
        await using var engine = await TestEngine.StartAsync(options);

        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync("CallSlow", 7_000);
        var result = await engine.WaitAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        Assert.Equal(1, TestEngine.SlowRunsOf(id));
    }

    [Fact]
    public async Task PoisonOrchestrationMessage_CheckpointKeepsFailing_FailsTheInstanceWithReason()
    {
        var options = TestHubs.Options() with
        {
            MaxDequeueCount = 2,
            CheckpointProbe = (stage, checkpoint) =>
            {
                // Every checkpoint but the poison policy's own fails: an activity handed over before the failure may
                // complete in time to join the retried episode, and that episode's checkpoint must fail too.
                if (stage == CheckpointStage.MessagesSent && checkpoint.State.Status != OrchestrationRuntimeStatus.Failed)
                {
                    throw new IOException("storage is having a bad day");
                }
            },
        };
        await using var engine = await TestEngine.StartAsync(options);

        var result = await engine.WaitAsync(await engine.Client.ScheduleNewOrchestrationInstanceAsync("Echo", "x"));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, result.RuntimeStatus);
        Assert.Equal("PoisonMessage", result.FailureDetails!.ErrorType);
        Assert.Contains($"moved to queue '{options.TaskHubName}-poison'", result.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Single((await engine.Client.GetOrchestrationHistoryAsync(result.InstanceId)).OfType<ExecutionCompletedEvent>());
    }

    [Theory]
    [InlineData("Echo")] // poisoned on its first episode: the child never checkpointed
    [InlineData("TwoEvents")] // poisoned after its first checkpoint, on the episode of its first event
    public async Task PoisonedSubOrchestration_FailsAndTellsItsParent_WhichNeverWaitsForever(string child)
    {
        var childCheckpoints = 0;
        var options = TestHubs.Options() with
        {
            MaxDequeueCount = 2,
            CheckpointProbe = (stage, checkpoint) =>
            {
                var childEpisode = checkpoint.State.Name == child && checkpoint.State.Status != OrchestrationRuntimeStatus.Failed;
                if (stage == CheckpointStage.MessagesSent && childEpisode && (child == "Echo" || Interlocked.Increment(ref childCheckpoints) > 1))
                {
                    throw new IOException("storage is having a bad day");
                }
            },
        };
        await using var engine = await TestEngine.StartAsync(options);

        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync("CallChild", child);
        if (child == "TwoEvents")
        {
            await engine.WaitUntilAsync(async () => await engine.Client.GetInstanceAsync($"{id}:0000") is not null);
            await engine.Client.RaiseEventAsync($"{id}:0000", "go", "y");
        }

        var parent = await engine.WaitAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, parent.RuntimeStatus);
        Assert.True(parent.ReadOutputAs<string>()!.StartsWith("PoisonMessage: ", StringComparison.Ordinal), parent.ReadOutputAs<string>());
        Assert.Contains($"moved to queue '{options.TaskHubName}-poison'", parent.ReadOutputAs<string>(), StringComparison.Ordinal);
        var failed = await engine.Client.GetInstanceAsync($"{parent.InstanceId}:0000");
        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed!.RuntimeStatus);
        Assert.Equal(child, failed.Name);
        Assert.Equal("PoisonMessage", failed.FailureDetails!.ErrorType);
        var history = await engine.Client.GetOrchestrationHistoryAsync(failed.InstanceId);
        Assert.Equal(parent.InstanceId, Assert.Single(history.OfType<ExecutionStartedEvent>()).Parent!.InstanceId);
        Assert.Single(history.OfType<ExecutionCompletedEvent>());
    }

    [Fact]
    public async Task SplitBrain_SentinelChangedByAnotherWriter_CheckpointRefusedThenRetriedFromStorage()
    {
        var stages = new ConcurrentQueue<CheckpointStage>();
        var options = TestHubs.Options() with { CheckpointProbe = (stage, _) => stages.Enqueue(stage) };
        await using var engine = await TestEngine.StartAsync(options);
        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync("WaitEvent");
        await engine.WaitUntilAsync(() => Task.FromResult(stages.Contains(CheckpointStage.MessagesDeleted)));

        // Another writer commits to the instance: this worker's cached sentinel ETag is now stale.
        var history = (await TestStorage.ConnectAsync()).HubTable(options.TaskHubName, "History");
        await history.UpsertEntityAsync(new TableEntity(id, "sentinel") { ["Intruder"] = true }, TableUpdateMode.Merge);
        stages.Clear();
        await engine.Client.RaiseEventAsync(id, "go", 7);

        var result = await engine.WaitAsync(id);

        Assert.Equal(7, result.ReadOutputAs<int>());
        Assert.Equal(2, stages.Count(s => s == CheckpointStage.MessagesSent));
        Assert.Equal(1, stages.Count(s => s == CheckpointStage.HistoryWritten));
        var events = await engine.Client.GetOrchestrationHistoryAsync(id);
        Assert.Single(events.OfType<EventRaisedEvent>());
        Assert.Single(events.OfType<ExecutionCompletedEvent>());
    }

    [Fact]
    public async Task LongTimer_TenDays_IsChunkedUnderTheQueueLimitAndFiresOnlyWhenDue()
    {
        var clock = new ManualClock();
        var start = clock.GetUtcNow().UtcDateTime;
        await using var engine = await TestEngine.StartAsync(TestHubs.Options(clock));
        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync("LongTimer");
        await engine.WaitUntilAsync(async () => (await engine.Client.GetOrchestrationHistoryAsync(id)).OfType<TimerCreatedEvent>().Any());

        clock.Advance(TimeSpan.FromDays(9));
        await Task.Delay(1000); // several chunks come due and are re-enqueued
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await engine.Client.GetInstanceAsync(id))!.RuntimeStatus);

        clock.Advance(TimeSpan.FromDays(1));
        var result = await engine.WaitAsync(id);
        Assert.True(result.ReadOutputAs<DateTime>() >= start.AddDays(10));
    }

    [Fact]
    public async Task LongTimer_WithDefaultChunk_IsAcceptedByTheQueue()
    {
        var options = TestHubs.Options(new ManualClock()) with { MaxTimerChunk = new AzureStorageTaskHubOptions { TaskHubName = "defaults" }.MaxTimerChunk };
        await using var engine = await TestEngine.StartAsync(options);
        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync("LongTimer");
        await engine.WaitUntilAsync(async () => (await engine.Client.GetOrchestrationHistoryAsync(id)).OfType<TimerCreatedEvent>().Any());
        await Task.Delay(300);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await engine.Client.GetInstanceAsync(id))!.RuntimeStatus);
        Assert.True(options.MaxTimerChunk < TimeSpan.FromDays(7));
    }

    [Fact]
    public async Task Purge_SingleAndByFilter_RemovesHistoryRowsAndBlobs()
    {
        await using var engine = await TestEngine.StartAsync(TestHubs.Options());
        var big = await engine.Client.ScheduleNewOrchestrationInstanceAsync("Echo", new string('y', 70_000));
        var small = await engine.Client.ScheduleNewOrchestrationInstanceAsync("Echo", "a");
        var other = await engine.Client.ScheduleNewOrchestrationInstanceAsync("Echo", "b");
        var running = await engine.Client.ScheduleNewOrchestrationInstanceAsync("WaitEvent");
        foreach (var id in new[] { big, small, other })
        {
            await engine.WaitAsync(id);
        }

        Assert.Equal(1, await engine.Client.PurgeInstanceAsync(big));
        Assert.Null(await engine.Client.GetInstanceAsync(big));
        Assert.Empty(await engine.Client.GetOrchestrationHistoryAsync(big));
        var container = (await TestStorage.ConnectAsync()).Blobs.GetBlobContainerClient($"{engine.Options.TaskHubName}-largemessages");
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = big + "/" }))
        {
            Assert.Fail($"blob {blob.Name} survived the purge");
        }

        var purged = await engine.Client.PurgeAllInstancesAsync(new OrchestrationQuery
        {
            CreatedFrom = DateTimeOffset.UtcNow.AddMinutes(-5),
            CreatedTo = DateTimeOffset.UtcNow.AddMinutes(5),
            Statuses = [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Running],
        });

        Assert.Equal(2, purged);
        Assert.Null(await engine.Client.GetInstanceAsync(small));
        Assert.Null(await engine.Client.GetInstanceAsync(other));
        Assert.NotNull(await engine.Client.GetInstanceAsync(running));
        Assert.Equal(0, await engine.Client.PurgeAllInstancesAsync(new OrchestrationQuery { CreatedTo = DateTimeOffset.UtcNow.AddDays(-1) }));
    }

    [Fact]
    public async Task ContinueAsNew_OldGenerationsAreDeleted_SoHistoryDoesNotGrow()
    {
        await using var engine = await TestEngine.StartAsync(TestHubs.Options());
        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync("Loop", 5);
        Assert.Equal(0, (await engine.WaitAsync(id)).ReadOutputAs<int>());
        var history = (await TestStorage.ConnectAsync()).HubTable(engine.Options.TaskHubName, "History");
        var current = (await engine.Client.GetOrchestrationHistoryAsync(id)).Count;

        await engine.WaitUntilAsync(async () =>
        {
            var rows = 0;
            await foreach (var _ in history.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {id}"), select: ["RowKey"]))
            {
                rows++;
            }

            return rows == current + 1; // the live generation and the sentinel
        });
    }

    [Fact]
    public async Task RedeliveredExecutionStarted_AfterCompletion_IsDropped()
    {
        await using var engine = await TestEngine.StartAsync(TestHubs.Options());
        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync("Echo", "once");
        await engine.WaitAsync(id);
        var history = await engine.Client.GetOrchestrationHistoryAsync(id);

        await engine.Hub.SendMessageAsync(new TaskMessage(id, history.OfType<ExecutionStartedEvent>().Single()));
        await engine.Hub.SendMessageAsync(new TaskMessage(id, new TaskCompletedEvent(DateTime.UtcNow, 0, "\"late\"")));
        await engine.WaitUntilAsync(async () => await ControlMessagesAsync(engine.Options) == 0);

        Assert.Equal(history.Count, (await engine.Client.GetOrchestrationHistoryAsync(id)).Count);
        Assert.Equal("once!", (await engine.Client.GetInstanceAsync(id))!.ReadOutputAs<string>());
    }

    [Fact]
    public async Task FanOut_StorageOperationsPerActivity_AtMostFour()
    {
        var counter = new StorageOperationCounter();
        await using var engine = await TestEngine.StartAsync(TestHubs.Options() with { MaxPollingInterval = TimeSpan.FromSeconds(1) }, counter);
        await engine.WaitAsync(await engine.Client.ScheduleNewOrchestrationInstanceAsync("FanOut", 10));
        counter.Reset();

        await engine.WaitAsync(await engine.Client.ScheduleNewOrchestrationInstanceAsync("FanOut", 300));

        var perActivity = counter.Count / 300.0;
        Assert.True(perActivity <= 4, $"{perActivity:F2} storage operations per activity");
    }

    private static async Task<int> ControlMessagesAsync(AzureStorageTaskHubOptions options)
    {
        var storage = await TestStorage.ConnectAsync();
        var total = 0;
        for (var i = 0; i < options.PartitionCount; i++)
        {
            total += await storage.MessageCountAsync($"{options.TaskHubName}-control-{i:00}");
        }

        return total;
    }
}
