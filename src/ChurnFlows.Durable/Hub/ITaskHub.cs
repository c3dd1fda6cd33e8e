using ChurnFlows.Durable.Client;
using ChurnFlows.Durable.History;

namespace ChurnFlows.Durable.Hub;

/// <summary>
/// The storage seam of the engine: where instances, history and messages live. Contract for backends:
/// <list type="bullet">
/// <item>Orchestration work items are per-instance sessions holding every pending message; an instance is locked by at most one worker at a time.</item>
/// <item>Delivery is at least once: after a crash, messages may be handed out again. The worker drops duplicate completions, so a backend need not deduplicate them.</item>
/// <item><see cref="CompleteOrchestrationWorkItemAsync"/> persists in an order that survives a crash at any point: outbound messages first, then history, then instance state, then the consumed messages are deleted.</item>
/// <item>Lock methods wait at most the given time and return null when nothing is ready, so workers can back off.</item>
/// </list>
/// </summary>
public interface ITaskHub
{
    /// <summary>Creates the backend's resources if missing.</summary>
    Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default);

    /// <summary>Locks the next instance with pending messages, waiting at most <paramref name="maxWait"/>.</summary>
    Task<OrchestrationWorkItem?> LockNextOrchestrationWorkItemAsync(TimeSpan maxWait, CancellationToken cancellationToken = default);

    /// <summary>Persists an episode and releases the instance (messages that arrived meanwhile stay pending).</summary>
    Task CompleteOrchestrationWorkItemAsync(OrchestrationWorkItem workItem, OrchestrationCheckpoint checkpoint, CancellationToken cancellationToken = default);

    /// <summary>Releases the instance without consuming its messages (they will be handed out again).</summary>
    Task AbandonOrchestrationWorkItemAsync(OrchestrationWorkItem workItem, CancellationToken cancellationToken = default);

    /// <summary>Locks the next activity invocation, waiting at most <paramref name="maxWait"/>.</summary>
    Task<ActivityWorkItem?> LockNextActivityWorkItemAsync(TimeSpan maxWait, CancellationToken cancellationToken = default);

    /// <summary>Routes the activity's result to its orchestration and deletes the invocation.</summary>
    Task CompleteActivityWorkItemAsync(ActivityWorkItem workItem, TaskMessage result, CancellationToken cancellationToken = default);

    /// <summary>Makes the invocation available again.</summary>
    Task AbandonActivityWorkItemAsync(ActivityWorkItem workItem, CancellationToken cancellationToken = default);

    /// <summary>
    /// Tells the backend that a worker in this process adds <paramref name="count"/> activity slots (when it
    /// starts) or removes them (a negative count, when it stops). A backend may hand activities that this
    /// process schedules straight to that worker while it has free slots, instead of through shared storage,
    /// and must stop doing so once the slots are removed. The default ignores it.
    /// </summary>
    void AddActivitySlots(int count)
    {
    }

    /// <summary>Creates an instance from its ExecutionStarted message; applies <paramref name="dedupe"/> when the id is in use. Returns false when an existing instance was reused.</summary>
    /// <exception cref="OrchestrationAlreadyExistsException">The id is running or pending and <paramref name="dedupe"/> is <see cref="DedupeMode.Refuse"/>.</exception>
    Task<bool> CreateInstanceAsync(TaskMessage executionStarted, DedupeMode dedupe, CancellationToken cancellationToken = default);

    /// <summary>Sends a message to an instance (raise event, terminate, suspend, resume). Messages to unknown or finished instances are dropped.</summary>
    Task SendMessageAsync(TaskMessage message, CancellationToken cancellationToken = default);

    /// <summary>Reads an instance's state, or null.</summary>
    Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>Lists instances matching <paramref name="query"/>.</summary>
    Task<IReadOnlyList<OrchestrationMetadata>> QueryInstancesAsync(OrchestrationQuery query, CancellationToken cancellationToken = default);

    /// <summary>Reads an instance's history of the current execution.</summary>
    Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a finished instance's state and history. Returns the number purged (0 or 1).</summary>
    Task<int> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default);
}
