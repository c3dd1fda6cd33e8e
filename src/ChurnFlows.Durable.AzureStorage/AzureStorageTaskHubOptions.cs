namespace ChurnFlows.Durable.AzureStorage;

/// <summary>
/// Settings of a task hub on Azure Storage. The defaults follow Durable Functions' Azure Storage
/// provider (4 partitions, 32-message batches, 30 s leases renewed every 10 s, 5 min visibility).
/// </summary>
public sealed record AzureStorageTaskHubOptions
{
    /// <summary>Gets the task hub name: 3–45 letters, digits and single hyphens, starting with a letter and ending with a letter or digit. Queues and containers use it lower-cased.</summary>
    public required string TaskHubName { get; init; }

    /// <summary>Gets the number of control-queue partitions (1–16). Every worker sharing the hub must use the same count.</summary>
    public int PartitionCount { get; init; } = 4;

    /// <summary>Gets how many messages one poll of a queue takes (1–32).</summary>
    public int QueueBatchSize { get; init; } = 32;

    /// <summary>Gets how many times a message may be dequeued; one more moves it to <c>&lt;hub&gt;-poison</c> and fails the affected activity or orchestration.</summary>
    public int MaxDequeueCount { get; init; } = 5;

    /// <summary>Gets how long a partition lease lasts without renewal (15–60 s); a dead worker's partitions move after this.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets how often leases are renewed and the partitions rebalanced.</summary>
    public TimeSpan LeaseRenewInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets how long a dequeued control message stays hidden; after a crash it reappears after this.</summary>
    public TimeSpan ControlQueueVisibilityTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets how long a dequeued activity stays hidden: renewed every third of it while the activity runs, so after a crash the activity reappears within this.</summary>
    public TimeSpan WorkItemVisibilityTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets how long one worker keeps renewing an activity it runs. An activity still running then (hung)
    /// becomes visible again and counts toward <see cref="MaxDequeueCount"/>, so it ends in the poison queue.
    /// </summary>
    public TimeSpan MaximumActivityLockDuration { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Gets the longest wait between polls of an empty queue (polling backs off exponentially up to this).</summary>
    public TimeSpan MaxPollingInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets how long a control queue's poller waits after a poll that returned a partial batch (a full one is
    /// followed at once): messages from other processes then share receives instead of costing one each, at up
    /// to this much extra latency. Messages this process sends itself wake the poller at once.
    /// </summary>
    public TimeSpan ControlQueuePartialBatchDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Gets how many control messages a partition holds in memory before it stops fetching.</summary>
    public int ControlQueueBufferThreshold { get; init; } = 256;

    /// <summary>
    /// Gets the longest a timer message stays invisible in one go. Queue visibility is at most 7 days, so
    /// longer timers are re-enqueued in chunks until due (checked against <see cref="TimeProvider"/>).
    /// </summary>
    public TimeSpan MaxTimerChunk { get; init; } = TimeSpan.FromDays(6);

    /// <summary>Gets the serialized size (UTF-8 bytes) above which a queue message or table property is stored as a gzip blob in <c>&lt;hub&gt;-largemessages</c>.</summary>
    public int LargePayloadThreshold { get; init; } = 45 * 1024;

    /// <summary>Gets how long completed activity results may wait to share one control message with others for the same instance.</summary>
    public TimeSpan ResultBatchWindow { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Gets the clock for timestamps and timer due times (leases and polling always use real time).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Gets an id for this worker in lease metadata (default: machine name and a random suffix).</summary>
    public string WorkerId { get; init; } = $"{Environment.MachineName}-{Guid.NewGuid():N}"[..Math.Min(Environment.MachineName.Length + 9, 60)];

    /// <summary>Gets a fault-injection hook called at each checkpoint stage (tests kill the process here).</summary>
    internal Action<CheckpointStage, Hub.OrchestrationCheckpoint>? CheckpointProbe { get; init; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(TaskHubName);
        // Queue and container names allow no hyphen at the end and no two in a row; the SDK clients check no names.
        if (TaskHubName.Length is < 3 or > 45 || !char.IsAsciiLetter(TaskHubName[0]) || !TaskHubName.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            || TaskHubName[^1] == '-' || TaskHubName.Contains("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Task hub name '{TaskHubName}' must be 3-45 letters, digits or hyphens, starting with a letter, ending with a letter or digit, with no two hyphens in a row.", nameof(TaskHubName));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(PartitionCount, 1, nameof(PartitionCount));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PartitionCount, 16, nameof(PartitionCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(QueueBatchSize, 1, nameof(QueueBatchSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(QueueBatchSize, 32, nameof(QueueBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDequeueCount, 1, nameof(MaxDequeueCount));
        if (LeaseDuration < TimeSpan.FromSeconds(15) || LeaseDuration > TimeSpan.FromSeconds(60))
        {
            throw new ArgumentOutOfRangeException(nameof(LeaseDuration), LeaseDuration, "A partition lease lasts 15 to 60 seconds.");
        }

        if (LeaseRenewInterval <= TimeSpan.Zero || LeaseRenewInterval >= LeaseDuration)
        {
            throw new ArgumentOutOfRangeException(nameof(LeaseRenewInterval), LeaseRenewInterval, "Leases must be renewed more often than they expire.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(ControlQueuePartialBatchDelay, TimeSpan.Zero, nameof(ControlQueuePartialBatchDelay));
        if (MaxTimerChunk <= TimeSpan.Zero || MaxTimerChunk > TimeSpan.FromDays(7))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTimerChunk), MaxTimerChunk, "Queue messages stay invisible at most 7 days.");
        }
    }
}

/// <summary>The steps of persisting an episode, in order.</summary>
internal enum CheckpointStage
{
    /// <summary>Outbound messages are enqueued.</summary>
    MessagesSent,

    /// <summary>History and the sentinel row are written.</summary>
    HistoryWritten,

    /// <summary>The instance row is updated.</summary>
    InstanceUpdated,

    /// <summary>The consumed messages are deleted.</summary>
    MessagesDeleted,
}
