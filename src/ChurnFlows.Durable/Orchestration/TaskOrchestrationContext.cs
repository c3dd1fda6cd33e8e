using Microsoft.Extensions.Logging;

namespace ChurnFlows.Durable;

/// <summary>
/// The orchestrator's only window on the world: everything it does that must survive a replay
/// (calling activities, timers, events, time, ids, status) goes through here.
/// </summary>
public abstract class TaskOrchestrationContext
{
    /// <summary>Gets the orchestrator name.</summary>
    public abstract string Name { get; }

    /// <summary>Gets the instance id.</summary>
    public abstract string InstanceId { get; }

    /// <summary>Gets the parent instance, for sub-orchestrations.</summary>
    public abstract History.ParentInstance? Parent { get; }

    /// <summary>Gets the replay-safe current time: the start time of the current episode.</summary>
    public abstract DateTime CurrentUtcDateTime { get; }

    /// <summary>Gets whether the code is being replayed from history (side effects like logging should be skipped).</summary>
    public abstract bool IsReplaying { get; }

    /// <summary>Gets the input.</summary>
    public abstract T? GetInput<T>();

    /// <summary>Schedules an activity and returns its result.</summary>
    /// <exception cref="TaskFailedException">The activity failed (after any retries).</exception>
    public abstract Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null);

    /// <summary>Schedules an activity without a result.</summary>
    public Task CallActivityAsync(string name, object? input = null, TaskOptions? options = null) => CallActivityAsync<object?>(name, input, options);

    /// <summary>Starts a sub-orchestration and returns its output.</summary>
    /// <exception cref="TaskFailedException">The sub-orchestration failed.</exception>
    public abstract Task<TResult> CallSubOrchestratorAsync<TResult>(string orchestratorName, object? input = null, TaskOptions? options = null);

    /// <summary>Waits until <paramref name="fireAt"/> (UTC) on a durable timer.</summary>
    public abstract Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken);

    /// <summary>Waits <paramref name="delay"/> from <see cref="CurrentUtcDateTime"/> on a durable timer.</summary>
    public Task CreateTimer(TimeSpan delay, CancellationToken cancellationToken) => CreateTimer(CurrentUtcDateTime + delay, cancellationToken);

    /// <summary>Waits for an external event; events raised before the wait are buffered and delivered in order.</summary>
    public abstract Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default);

    /// <summary>Waits for an external event for at most <paramref name="timeout"/> (a durable timer).</summary>
    /// <exception cref="TaskCanceledException">The timeout elapsed first.</exception>
    public abstract Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan timeout);

    /// <summary>Raises an event on another instance.</summary>
    public abstract void SendEvent(string instanceId, string eventName, object? payload);

    /// <summary>Sets the status others can read while the instance runs (serialized).</summary>
    public abstract void SetCustomStatus(object? customStatus);

    /// <summary>Ends this execution when the orchestrator returns and starts a new one with <paramref name="newInput"/> (fresh history).</summary>
    public abstract void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true);

    /// <summary>Returns a GUID that is the same on every replay (name-based, version 5).</summary>
    public abstract Guid NewGuid();

    /// <summary>Returns a logger that writes nothing while replaying.</summary>
    public abstract ILogger CreateReplaySafeLogger(string categoryName);
}
