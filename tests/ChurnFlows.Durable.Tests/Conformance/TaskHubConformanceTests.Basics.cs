using ChurnFlows.Durable.Client;
using ChurnFlows.Durable.History;
using ChurnFlows.Durable.Hub;
using Xunit;

namespace ChurnFlows.Durable.Tests.Conformance;

/// <summary>Sequences, fan-out, failures, retries, timers.</summary>
public abstract partial class TaskHubConformanceTests
{
    [Fact]
    public async Task Sequence_ThreeActivities_OutputInOrder()
    {
        var result = await RunAsync("Hello");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        Assert.Equal("Hello Tokyo, Hello Seattle, Hello London", result.ReadOutputAs<string>());
    }

    [Fact]
    public async Task FanOutFanIn_ThousandActivities_SumsEveryResult()
    {
        var result = await RunAsync("FanOut", 1000);
        Assert.Equal(1000L * 1001, result.ReadOutputAs<long>());
    }

    [Fact]
    public async Task ActivityFailure_CaughtInOrchestrator_AsTaskFailedExceptionWithDetails()
    {
        var result = await RunAsync("CatchFailure");
        Assert.Equal("Fail: System.InvalidOperationException: boom", result.ReadOutputAs<string>());
    }

    [Fact]
    public async Task ActivityFailure_Unhandled_FailsInstanceWithDetails()
    {
        var result = await RunAsync("Unhandled");
        Assert.Equal(OrchestrationRuntimeStatus.Failed, result.RuntimeStatus);
        Assert.Contains("unhandled boom", result.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOrchestrator_FailsWithClearMessage()
    {
        var result = await RunAsync("NoSuchOrchestrator");
        Assert.Equal(OrchestrationRuntimeStatus.Failed, result.RuntimeStatus);
        Assert.Contains("No orchestrator named 'NoSuchOrchestrator'", result.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_FlakyActivity_SucceedsOnThirdAttemptAfterDurableBackoffTimers()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("Retry");
        var result = await PumpUntilCompletedAsync(id, TimeSpan.FromSeconds(30));

        Assert.Equal(3, result.ReadOutputAs<int>());
        var history = await Client.GetOrchestrationHistoryAsync(id);
        var timers = history.OfType<TimerCreatedEvent>().ToList();
        Assert.Equal(2, timers.Count);
        var scheduled = history.OfType<TaskScheduledEvent>().Select(e => e.Timestamp).ToList();
        Assert.Equal(3, scheduled.Count);
        Assert.True(scheduled[2] - scheduled[1] >= TimeSpan.FromMinutes(2), "second backoff doubles");
    }

    [Fact]
    public async Task Retry_AlwaysFailing_GivesUpAfterMaxAttempts()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("RetryExhausted");
        var result = await PumpUntilCompletedAsync(id, TimeSpan.FromSeconds(10));
        Assert.Equal("gave up", result.ReadOutputAs<string>());
        Assert.Equal(3, (await Client.GetOrchestrationHistoryAsync(id)).OfType<TaskScheduledEvent>().Count());
    }

    [Fact]
    public async Task Timer_FiresOnlyWhenDue()
    {
        var start = Clock.GetUtcNow().UtcDateTime;
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("Timer");
        await WaitUntilAsync(async () => (await Client.GetOrchestrationHistoryAsync(id)).OfType<TimerCreatedEvent>().Any());
        Clock.Advance(TimeSpan.FromMinutes(59));
        await Task.Delay(100);
        Assert.False((await Client.GetInstanceAsync(id))!.IsCompleted);

        var result = await PumpUntilCompletedAsync(id, TimeSpan.FromMinutes(1));

        Assert.True(result.ReadOutputAs<DateTime>() >= start.AddHours(1));
    }

    [Fact]
    public async Task ScheduleNew_SameIdWhileRunning_IsRefused_UnlessReused()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("WaitEvent", null, new StartOrchestrationOptions("singleton"));
        await Assert.ThrowsAsync<OrchestrationAlreadyExistsException>(() => Client.ScheduleNewOrchestrationInstanceAsync("WaitEvent", null, new StartOrchestrationOptions("singleton")));
        var reused = await Client.ScheduleNewOrchestrationInstanceAsync("WaitEvent", null, new StartOrchestrationOptions("singleton") { Dedupe = DedupeMode.ReuseExisting });
        Assert.Equal(id, reused);
        await Client.RaiseEventAsync(id, "go", 1);
        await Client.WaitForInstanceCompletionAsync(id, new CancellationTokenSource(Patience).Token);
        await Client.ScheduleNewOrchestrationInstanceAsync("Hello", null, new StartOrchestrationOptions("singleton"));
    }

    [Fact]
    public async Task SecondStartOfTheSameId_FromAClientThatLostTheRace_IsDropped_QueuedOrRunning()
    {
        // Two clients that create one id at the same moment can both find it absent and both send a start.
        ExecutionStartedEvent Rival(string id, string executionId) => new(Clock.GetUtcNow().UtcDateTime, "Hello", id, executionId, null);
        await RunAsync("Hello"); // the worker is up (a hub with partitions owns them) before it stops
        await Worker.StopAsync(CancellationToken.None);
        await Worker.DisposeAsync();
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("WaitEvent", null, new StartOrchestrationOptions("raced"));
        await Hub.SendMessageAsync(new TaskMessage(id, Rival(id, "rival-queued")));
        Worker = NewWorker();
        await Worker.StartAsync(CancellationToken.None);

        await WaitUntilAsync(async () => (await Client.GetInstanceAsync(id))?.SerializedCustomStatus is not null);
        await Hub.SendMessageAsync(new TaskMessage(id, Rival(id, "rival-running")));
        await Client.RaiseEventAsync(id, "go", 7);
        var done = await Client.WaitForInstanceCompletionAsync(id, new CancellationTokenSource(Patience).Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(7, done.ReadOutputAs<int>());
        var start = Assert.Single((await Client.GetOrchestrationHistoryAsync(id)).OfType<ExecutionStartedEvent>());
        Assert.Equal("WaitEvent", start.Name);
    }

    [Fact]
    public async Task PurgeAllInstances_ByCreatedRangeAndStatus_PurgesOnlyFinishedMatches()
    {
        var early = (await RunAsync("Hello")).InstanceId;
        Clock.Advance(TimeSpan.FromHours(1));
        var from = Clock.GetUtcNow();
        var late = (await RunAsync("Hello")).InstanceId;
        var running = await Client.ScheduleNewOrchestrationInstanceAsync("WaitEvent");
        await Client.WaitForInstanceStartAsync(running, new CancellationTokenSource(Patience).Token);

        var purged = await Client.PurgeAllInstancesAsync(new OrchestrationQuery { CreatedFrom = from, Statuses = [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Running] });

        Assert.Equal(1, purged);
        Assert.Null(await Client.GetInstanceAsync(late));
        Assert.Empty(await Client.GetOrchestrationHistoryAsync(late));
        Assert.NotNull(await Client.GetInstanceAsync(early));
        Assert.NotNull(await Client.GetInstanceAsync(running));
    }
}
