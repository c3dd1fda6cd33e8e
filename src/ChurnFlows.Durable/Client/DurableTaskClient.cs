using System.Runtime.CompilerServices;
using ChurnFlows.Durable.History;
using ChurnFlows.Durable.Hub;

namespace ChurnFlows.Durable.Client;

/// <summary>Starts, queries, signals and purges orchestration instances in a task hub. Thread-safe.</summary>
public sealed class DurableTaskClient
{
    private readonly ITaskHub _hub;
    private readonly DataConverter _converter;
    private readonly TimeProvider _time;

    /// <summary>Creates a client over <paramref name="hub"/>.</summary>
    public DurableTaskClient(ITaskHub hub, DataConverter? converter = null, TimeProvider? timeProvider = null)
    {
        _hub = hub ?? throw new ArgumentNullException(nameof(hub));
        _converter = converter ?? JsonDataConverter.Default;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the hub this client talks to.</summary>
    public ITaskHub Hub => _hub;

    /// <summary>
    /// Schedules a new instance and returns its id. An id that is already running or pending is
    /// refused with <see cref="OrchestrationAlreadyExistsException"/> unless <see cref="StartOrchestrationOptions.Dedupe"/> says otherwise.
    /// </summary>
    public async Task<string> ScheduleNewOrchestrationInstanceAsync(string orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(orchestratorName);
        var id = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        var start = new ExecutionStartedEvent(_time.GetUtcNow().UtcDateTime, orchestratorName, id, Guid.NewGuid().ToString("N"), _converter.Serialize(input), null, options?.StartAt?.UtcDateTime);
        if (options?.Dedupe == DedupeMode.TerminateAndRestart && await GetInstanceAsync(id, cancellation).ConfigureAwait(false) is { IsRunning: true })
        {
            await TerminateInstanceAsync(id, "restarted", cancellation).ConfigureAwait(false);
            await WaitForInstanceCompletionAsync(id, cancellation).ConfigureAwait(false);
        }

        await _hub.CreateInstanceAsync(new TaskMessage(id, start), options?.Dedupe ?? DedupeMode.Refuse, cancellation).ConfigureAwait(false);
        return id;
    }

    /// <summary>Reads an instance's state, or null when there is none.</summary>
    public Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, CancellationToken cancellation = default) =>
        _hub.GetInstanceAsync(instanceId, cancellation);

    /// <summary>Lists instances matching <paramref name="filter"/>.</summary>
    public async IAsyncEnumerable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        foreach (var m in await _hub.QueryInstancesAsync(filter ?? new OrchestrationQuery(), cancellation).ConfigureAwait(false))
        {
            yield return m;
        }
    }

    /// <summary>Waits until the instance has started (is no longer pending).</summary>
    public Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, CancellationToken cancellation = default) =>
        PollAsync(instanceId, m => m.RuntimeStatus != OrchestrationRuntimeStatus.Pending, cancellation);

    /// <summary>Waits until the instance completed, failed or was terminated.</summary>
    public Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, CancellationToken cancellation = default) =>
        PollAsync(instanceId, m => m.IsCompleted, cancellation);

    /// <summary>Raises an external event on an instance.</summary>
    public Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        return _hub.SendMessageAsync(new TaskMessage(instanceId, new EventRaisedEvent(_time.GetUtcNow().UtcDateTime, eventName, _converter.Serialize(eventPayload))), cancellation);
    }

    /// <summary>Terminates an instance; <paramref name="output"/> becomes its output.</summary>
    public Task TerminateInstanceAsync(string instanceId, object? output = null, CancellationToken cancellation = default) =>
        _hub.SendMessageAsync(new TaskMessage(instanceId, new ExecutionTerminatedEvent(_time.GetUtcNow().UtcDateTime, _converter.Serialize(output))), cancellation);

    /// <summary>Suspends an instance: events wait until it is resumed.</summary>
    public Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        _hub.SendMessageAsync(new TaskMessage(instanceId, new ExecutionSuspendedEvent(_time.GetUtcNow().UtcDateTime, reason)), cancellation);

    /// <summary>Resumes a suspended instance.</summary>
    public Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        _hub.SendMessageAsync(new TaskMessage(instanceId, new ExecutionResumedEvent(_time.GetUtcNow().UtcDateTime, reason)), cancellation);

    /// <summary>Deletes a finished instance's state and history. Returns how many were purged.</summary>
    public Task<int> PurgeInstanceAsync(string instanceId, CancellationToken cancellation = default) =>
        _hub.PurgeInstanceAsync(instanceId, cancellation);

    /// <summary>Purges every finished instance matching <paramref name="filter"/>.</summary>
    public async Task<int> PurgeAllInstancesAsync(OrchestrationQuery filter, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var purged = 0;
        foreach (var m in await _hub.QueryInstancesAsync(filter with { PageSize = int.MaxValue }, cancellation).ConfigureAwait(false))
        {
            if (m.IsCompleted)
            {
                purged += await _hub.PurgeInstanceAsync(m.InstanceId, cancellation).ConfigureAwait(false);
            }
        }

        return purged;
    }

    /// <summary>Reads the history of the instance's current execution.</summary>
    public Task<IReadOnlyList<HistoryEvent>> GetOrchestrationHistoryAsync(string instanceId, CancellationToken cancellation = default) =>
        _hub.GetHistoryAsync(instanceId, cancellation);

    private async Task<OrchestrationMetadata> PollAsync(string instanceId, Func<OrchestrationMetadata, bool> done, CancellationToken cancellation)
    {
        var delay = TimeSpan.FromMilliseconds(1);
        while (true)
        {
            var m = await _hub.GetInstanceAsync(instanceId, cancellation).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"No orchestration instance '{instanceId}' exists.");
            if (done(m))
            {
                return m;
            }

            await Task.Delay(delay, cancellation).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }
}
