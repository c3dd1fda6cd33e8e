using ChurnFlows.Durable.Client;
using ChurnFlows.Durable.Hub;
using ChurnFlows.Durable.Worker;
using Xunit;

namespace ChurnFlows.Durable.Tests.Conformance;

/// <summary>
/// Behaviour every task hub must show, run against a real worker and client. Subclass per backend.
/// Timeouts are generous so slower backends pass; nothing sleeps to synchronise.
/// </summary>
public abstract partial class TaskHubConformanceTests : IAsyncLifetime
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    protected ManualClock Clock { get; } = new();

    protected ITaskHub Hub { get; private set; } = null!;

    protected DurableTaskWorker Worker { get; set; } = null!;

    protected DurableTaskClient Client { get; private set; } = null!;

    protected DurableTaskRegistry Registry { get; } = new();

    /// <summary>Creates the backend under test; <paramref name="clock"/> drives its timers.</summary>
    protected abstract Task<ITaskHub> CreateHubAsync(TimeProvider clock);

    /// <summary>Cleans the backend up.</summary>
    protected virtual Task DeleteHubAsync(ITaskHub hub) => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        ConformanceOrchestrations.Register(Registry);
        Hub = await CreateHubAsync(Clock);
        Client = new DurableTaskClient(Hub, timeProvider: Clock);
        Worker = NewWorker();
        await Worker.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await Worker.DisposeAsync();
        await DeleteHubAsync(Hub);
    }

    protected DurableTaskWorker NewWorker() =>
        new(Hub, Registry, new DurableTaskWorkerOptions { TimeProvider = Clock, PollWait = TimeSpan.FromMilliseconds(200) });

    protected async Task<OrchestrationMetadata> RunAsync(string name, object? input = null, string? instanceId = null)
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(name, input, new StartOrchestrationOptions(instanceId));
        using var cts = new CancellationTokenSource(Patience);
        return await Client.WaitForInstanceCompletionAsync(id, cts.Token);
    }

    /// <summary>Advances the clock in steps until the instance finishes (timers fire as time passes).</summary>
    protected async Task<OrchestrationMetadata> PumpUntilCompletedAsync(string instanceId, TimeSpan step)
    {
        using var cts = new CancellationTokenSource(Patience);
        while (true)
        {
            var m = await Client.GetInstanceAsync(instanceId, cts.Token);
            if (m is { IsCompleted: true })
            {
                return m;
            }

            Clock.Advance(step);
            await Task.Delay(10, cts.Token);
        }
    }

    protected async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var cts = new CancellationTokenSource(Patience);
        while (!await condition())
        {
            await Task.Delay(10, cts.Token);
        }
    }
}
