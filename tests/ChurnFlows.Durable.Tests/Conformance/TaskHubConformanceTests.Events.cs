using ChurnFlows.Durable.History;
using ChurnFlows.Durable.Hub;
using Xunit;

namespace ChurnFlows.Durable.Tests.Conformance;

/// <summary>External events, sub-orchestrations, ContinueAsNew, terminate/suspend/resume, replay.</summary>
public abstract partial class TaskHubConformanceTests
{
    [Fact]
    public async Task ExternalEvent_RaisedAfterWaiting_IsDelivered()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("WaitEvent");
        await WaitUntilAsync(async () => (await Client.GetInstanceAsync(id))?.SerializedCustomStatus is not null);
        await Client.RaiseEventAsync(id, "go", 42);
        Assert.Equal(42, (await Client.WaitForInstanceCompletionAsync(id, new CancellationTokenSource(Patience).Token)).ReadOutputAs<int>());
    }

    [Fact]
    public async Task ExternalEvent_RaisedBeforeWaiting_IsBuffered()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("WaitEvent");
        await Client.RaiseEventAsync(id, "go", 7);
        Assert.Equal(7, (await Client.WaitForInstanceCompletionAsync(id, new CancellationTokenSource(Patience).Token)).ReadOutputAs<int>());
    }

    [Fact]
    public async Task ExternalEvent_WithTimeout_TimesOutOnDurableTimer_OrArrivesInTime()
    {
        var late = await Client.ScheduleNewOrchestrationInstanceAsync("Approval");
        var onTime = await Client.ScheduleNewOrchestrationInstanceAsync("Approval");
        await WaitUntilAsync(async () => (await Client.GetOrchestrationHistoryAsync(onTime)).OfType<TimerCreatedEvent>().Any());
        await Client.RaiseEventAsync(onTime, "approve", "approved");
        Assert.Equal("approved", (await Client.WaitForInstanceCompletionAsync(onTime, new CancellationTokenSource(Patience).Token)).ReadOutputAs<string>());

        await WaitUntilAsync(async () => (await Client.GetOrchestrationHistoryAsync(late)).OfType<TimerCreatedEvent>().Any());
        Assert.Equal("timed out", (await PumpUntilCompletedAsync(late, TimeSpan.FromMinutes(10))).ReadOutputAs<string>());
    }

    [Fact]
    public async Task SubOrchestrations_ReturnTheirOutputsToTheParent()
    {
        var result = await RunAsync("Parent");
        Assert.Equal((10L * 11) + (5L * 6), result.ReadOutputAs<long>());
    }

    [Fact]
    public async Task ContinueAsNew_RestartsWithNewInput_AndCarriesUnprocessedEvents()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("Counter", 0);
        await Client.RaiseEventAsync(id, "final", 5);
        var result = await Client.WaitForInstanceCompletionAsync(id, new CancellationTokenSource(Patience).Token);
        Assert.Equal(305, result.ReadOutputAs<int>());
        Assert.Equal(3, result.ReadInputAs<int>());
    }

    [Fact]
    public async Task Terminate_RunningInstance_EndsTerminatedWithReason()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("WaitEvent");
        await Client.WaitForInstanceStartAsync(id, new CancellationTokenSource(Patience).Token);
        await Client.TerminateInstanceAsync(id, "operator said stop");
        var result = await Client.WaitForInstanceCompletionAsync(id, new CancellationTokenSource(Patience).Token);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, result.RuntimeStatus);
        Assert.Equal("operator said stop", result.ReadOutputAs<string>());
        Assert.Equal(1, await Client.PurgeInstanceAsync(id));
        Assert.Null(await Client.GetInstanceAsync(id));
    }

    [Fact]
    public async Task SuspendResume_EventsWaitUntilResumed()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("WaitEvent");
        await WaitUntilAsync(async () => (await Client.GetInstanceAsync(id))?.SerializedCustomStatus is not null);
        await Client.SuspendInstanceAsync(id, "maintenance");
        await WaitUntilAsync(async () => (await Client.GetInstanceAsync(id))!.RuntimeStatus == OrchestrationRuntimeStatus.Suspended);
        await Client.RaiseEventAsync(id, "go", 9);
        await Task.Delay(200);
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, (await Client.GetInstanceAsync(id))!.RuntimeStatus);

        await Client.ResumeInstanceAsync(id);

        Assert.Equal(9, (await Client.WaitForInstanceCompletionAsync(id, new CancellationTokenSource(Patience).Token)).ReadOutputAs<int>());
    }

    [Fact]
    public async Task NonDeterministicOrchestrator_FailsNamingExpectedAndActual()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("NonDeterministic");
        await WaitUntilAsync(async () => (await Client.GetInstanceAsync(id))?.SerializedCustomStatus is not null);
        ConformanceOrchestrations.Flipped[id] = true;
        Worker.ClearSessionCache();

        await Client.RaiseEventAsync(id, "continue", "now");

        var result = await Client.WaitForInstanceCompletionAsync(id, new CancellationTokenSource(Patience).Token);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, result.RuntimeStatus);
        Assert.Contains("activity 'SayHello'", result.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("activity 'Double'", result.FailureDetails.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_AfterDroppingSessionCache_GivesSameResultAndSameGuids()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("Guids");
        await WaitUntilAsync(async () => (await Client.GetInstanceAsync(id))?.SerializedCustomStatus is not null);
        var before = (await Client.GetInstanceAsync(id))!.ReadCustomStatusAs<string>();
        var misses = Worker.CacheMisses;
        Worker.ClearSessionCache();

        await Client.RaiseEventAsync(id, "go", "x");

        var output = (await Client.WaitForInstanceCompletionAsync(id, new CancellationTokenSource(Patience).Token)).ReadOutputAs<string[]>()!;
        Assert.Equal(before, output[0]);
        Assert.NotEqual(output[0], output[1]);
        Assert.True(Worker.CacheMisses > misses);
    }

    [Fact]
    public async Task DuplicateCompletion_IsIgnored()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("NonDeterministic");
        await WaitUntilAsync(async () => (await Client.GetInstanceAsync(id))?.SerializedCustomStatus is not null);
        await Hub.SendMessageAsync(new TaskMessage(id, new TaskCompletedEvent(DateTime.UtcNow, 0, "\"duplicate\"")));
        await Client.RaiseEventAsync(id, "continue", "now");

        var result = await Client.WaitForInstanceCompletionAsync(id, new CancellationTokenSource(Patience).Token);

        Assert.Equal("Hello x", result.ReadOutputAs<string>());
        Assert.Single((await Client.GetOrchestrationHistoryAsync(id)).OfType<TaskCompletedEvent>());
    }

    [Fact]
    public async Task GracefulShutdown_MidFanOut_NewWorkerFinishesEverything()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("SlowFanOut", 40);
        await WaitUntilAsync(async () => (await Client.GetOrchestrationHistoryAsync(id)).OfType<TaskScheduledEvent>().Any());
        await Worker.StopAsync(CancellationToken.None);
        await Worker.DisposeAsync();

        Worker = NewWorker();
        await Worker.StartAsync(CancellationToken.None);

        Assert.Equal(40, (await Client.WaitForInstanceCompletionAsync(id, new CancellationTokenSource(Patience).Token)).ReadOutputAs<int>());
    }
}
