using ChurnFlows.Durable.History;

namespace ChurnFlows.Durable.Hub;

/// <summary>A message for one instance: the history event it will become.</summary>
/// <param name="InstanceId">The target instance.</param>
/// <param name="Event">The event.</param>
public sealed record TaskMessage(string InstanceId, HistoryEvent Event);

/// <summary>
/// A locked orchestration session: every pending message of one instance. The backend keeps the
/// instance locked until the work item is completed or abandoned.
/// </summary>
/// <param name="InstanceId">The instance.</param>
/// <param name="HistoryCount">How many history events are stored (lets a worker trust its cached executor).</param>
/// <param name="NewMessages">The pending messages, in arrival order.</param>
/// <param name="LockToken">Backend data (receipts, ETags); opaque to the worker.</param>
public sealed record OrchestrationWorkItem(string InstanceId, int HistoryCount, IReadOnlyList<TaskMessage> NewMessages, object? LockToken = null);

/// <summary>A locked activity invocation.</summary>
/// <param name="InstanceId">The orchestration that scheduled it.</param>
/// <param name="TaskScheduled">The scheduling event (id, name, input).</param>
/// <param name="LockToken">Backend data; opaque to the worker.</param>
/// <param name="DequeueCount">How many times the backend has handed it out (1 the first time).</param>
public sealed record ActivityWorkItem(string InstanceId, TaskScheduledEvent TaskScheduled, object? LockToken = null, int DequeueCount = 1);

/// <summary>Everything one episode hands the backend to persist.</summary>
public sealed record OrchestrationCheckpoint
{
    /// <summary>Gets the events to append to the instance's history.</summary>
    public required IReadOnlyList<HistoryEvent> NewEvents { get; init; }

    /// <summary>Gets activities to run (events are <see cref="TaskScheduledEvent"/>).</summary>
    public IReadOnlyList<TaskMessage> ActivityMessages { get; init; } = [];

    /// <summary>Gets messages for orchestration instances (this one or others): starts, events, completions.</summary>
    public IReadOnlyList<TaskMessage> OrchestratorMessages { get; init; } = [];

    /// <summary>Gets timer messages (events are <see cref="TimerFiredEvent"/>, delivered at their FireAt).</summary>
    public IReadOnlyList<TaskMessage> TimerMessages { get; init; } = [];

    /// <summary>Gets the instance's state after the episode.</summary>
    public required InstanceState State { get; init; }

    /// <summary>Gets whether the history starts afresh (ContinueAsNew): the stored history is replaced, not appended to.</summary>
    public bool ResetHistory { get; init; }
}

/// <summary>The queryable state of an instance after an episode.</summary>
/// <param name="Name">The orchestrator name.</param>
/// <param name="Status">The runtime status.</param>
/// <param name="Input">The serialized input.</param>
/// <param name="Output">The serialized output or termination reason.</param>
/// <param name="CustomStatus">The serialized custom status.</param>
/// <param name="Failure">The failure, if failed.</param>
public sealed record InstanceState(string Name, OrchestrationRuntimeStatus Status, string? Input, string? Output, string? CustomStatus, TaskFailureDetails? Failure);
