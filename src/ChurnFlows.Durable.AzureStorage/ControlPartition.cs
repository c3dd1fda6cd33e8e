using Azure.Storage.Queues;
using ChurnFlows.Durable.Hub;

namespace ChurnFlows.Durable.AzureStorage;

/// <summary>A control queue this process owns: messages fetched from it, grouped per instance until an episode takes them.</summary>
internal sealed class ControlPartition(int index, QueueClient queue)
{
    public int Index { get; } = index;

    public QueueClient Queue { get; } = queue;

    /// <summary>Per-instance sessions; guarded by locking this partition.</summary>
    public Dictionary<string, InstanceSession> Instances { get; } = new(StringComparer.Ordinal);

    /// <summary>Messages fetched and not yet deleted or released, by <see cref="ReceivedMessage.HeldKey"/> (a re-delivered one only refreshes its receipt).</summary>
    public Dictionary<string, ReceivedMessage> Held { get; } = new(StringComparer.Ordinal);

    public CancellationTokenSource Ownership { get; } = new();

    public Wakeup Wakeup { get; } = new();

    public Task Fetching { get; set; } = Task.CompletedTask;

    public bool IsOwned => !Ownership.IsCancellationRequested;

    public int LockedCount
    {
        get
        {
            lock (this)
            {
                return Instances.Values.Count(s => s.Locked);
            }
        }
    }
}

/// <summary>One instance's pending messages and what this process knows of its history.</summary>
internal sealed class InstanceSession
{
    public List<ReceivedMessage> Pending { get; } = [];

    public bool Locked { get; set; }

    public bool Queued { get; set; }

    /// <summary>The sentinel after this process's last checkpoint; trusted while the partition is owned (a stale one fails the ETag check).</summary>
    public SentinelState? Sentinel { get; set; }
}

/// <summary>A dequeued queue message and the events it carries.</summary>
internal sealed class ReceivedMessage
{
    /// <summary>Gets the queue it came from: a control queue, or the work-item queue for a result delivered in memory.</summary>
    public required QueueClient Queue { get; init; }

    public required string MessageId { get; init; }

    /// <summary>Gets the key among the partition's held messages: the message id, or for an activity result delivered in memory also the instance and task (one activity message may carry several activities).</summary>
    public required string HeldKey { get; init; }

    public required string PopReceipt { get; set; }

    public required long DequeueCount { get; set; }

    public required string Body { get; init; }

    public required string InstanceId { get; init; }

    public required IReadOnlyList<TaskMessage> Messages { get; init; }

    /// <summary>Gets whether the message exceeded the dequeue limit.</summary>
    public bool Poisoned { get; init; }

    /// <summary>Gets the lock of the activity whose result this message delivers in memory (null for a control message).</summary>
    public ActivityLock? Activity { get; init; }
}

/// <summary>The backend data of a locked orchestration work item.</summary>
internal sealed record SessionLock(ControlPartition Partition, string InstanceId, InstanceSession Session, IReadOnlyList<ReceivedMessage> Consumed, SentinelState? Sentinel, bool NewExecution);
