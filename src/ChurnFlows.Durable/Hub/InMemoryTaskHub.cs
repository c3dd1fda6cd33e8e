using System.Threading.Channels;
using ChurnFlows.Durable.Client;
using ChurnFlows.Durable.History;

namespace ChurnFlows.Durable.Hub;

/// <summary>
/// A task hub in process memory: fast, thread-safe, and gone when the process ends. For tests and
/// the fast local path. Timers use <see cref="TimeProvider"/>, so tests can drive time.
/// </summary>
public sealed class InMemoryTaskHub : ITaskHub
{
    private readonly object _gate = new();
    private readonly Dictionary<string, InstanceRecord> _instances = new(StringComparer.Ordinal);
    private readonly Channel<string> _ready = Channel.CreateUnbounded<string>();
    private readonly Channel<ActivityWorkItem> _activities = Channel.CreateUnbounded<ActivityWorkItem>();
    private readonly TimeProvider _time;

    /// <summary>Creates a hub using <paramref name="timeProvider"/> (default: the system clock) for timers and timestamps.</summary>
    public InMemoryTaskHub(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <inheritdoc />
    public Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc />
    public async Task<OrchestrationWorkItem?> LockNextOrchestrationWorkItemAsync(TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(maxWait);
        try
        {
            while (true)
            {
                var id = await _ready.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
                lock (_gate)
                {
                    if (!_instances.TryGetValue(id, out var record))
                    {
                        continue;
                    }

                    record.Queued = false;
                    if (record.Locked || record.Pending.Count == 0)
                    {
                        continue;
                    }

                    record.Locked = true;
                    var messages = record.Pending.ToArray();
                    record.Pending.Clear();
                    return new OrchestrationWorkItem(id, record.History.Count, messages);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public Task CompleteOrchestrationWorkItemAsync(OrchestrationWorkItem workItem, OrchestrationCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        ArgumentNullException.ThrowIfNull(checkpoint);
        foreach (var m in checkpoint.ActivityMessages)
        {
            _activities.Writer.TryWrite(new ActivityWorkItem(m.InstanceId, (TaskScheduledEvent)m.Event));
        }

        foreach (var m in checkpoint.TimerMessages)
        {
            ScheduleTimer(m);
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var record = _instances[workItem.InstanceId];
            if (checkpoint.ResetHistory)
            {
                record.History.Clear();
            }
            else
            {
                record.History.AddRange(checkpoint.NewEvents);
            }

            var state = checkpoint.State;
            record.Metadata = record.Metadata with
            {
                Name = state.Name,
                RuntimeStatus = state.Status,
                SerializedInput = state.Input ?? record.Metadata.SerializedInput,
                SerializedOutput = state.Output,
                SerializedCustomStatus = state.CustomStatus,
                FailureDetails = state.Failure,
                LastUpdatedAt = now,
            };
            record.Locked = false;
            if (record.Pending.Count > 0)
            {
                Signal(record);
            }
        }

        foreach (var m in checkpoint.OrchestratorMessages)
        {
            Deliver(m, allowCreate: m.Event is ExecutionStartedEvent);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task AbandonOrchestrationWorkItemAsync(OrchestrationWorkItem workItem, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        lock (_gate)
        {
            if (_instances.TryGetValue(workItem.InstanceId, out var record))
            {
                record.Pending.InsertRange(0, workItem.NewMessages);
                record.Locked = false;
                Signal(record);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<ActivityWorkItem?> LockNextActivityWorkItemAsync(TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        if (_activities.Reader.TryRead(out var ready))
        {
            return ready;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(maxWait);
        try
        {
            return await _activities.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public Task CompleteActivityWorkItemAsync(ActivityWorkItem workItem, TaskMessage result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        Deliver(result, allowCreate: false);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task AbandonActivityWorkItemAsync(ActivityWorkItem workItem, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        _activities.Writer.TryWrite(workItem with { DequeueCount = workItem.DequeueCount + 1 });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> CreateInstanceAsync(TaskMessage executionStarted, DedupeMode dedupe, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executionStarted);
        var start = (ExecutionStartedEvent)executionStarted.Event;
        lock (_gate)
        {
            if (_instances.TryGetValue(start.InstanceId, out var existing) && existing.Metadata.IsRunning)
            {
                switch (dedupe)
                {
                    case DedupeMode.Refuse:
                        throw new OrchestrationAlreadyExistsException($"An orchestration with instance id '{start.InstanceId}' is already {existing.Metadata.RuntimeStatus}.");
                    case DedupeMode.ReuseExisting:
                        return Task.FromResult(false);
                }
            }

            var now = _time.GetUtcNow();
            _instances[start.InstanceId] = new InstanceRecord(new OrchestrationMetadata(start.Name, start.InstanceId)
            {
                RuntimeStatus = OrchestrationRuntimeStatus.Pending,
                CreatedAt = now,
                LastUpdatedAt = now,
                SerializedInput = start.Input,
            });
        }

        if (start.ScheduledStartTime is { } at && at > _time.GetUtcNow().UtcDateTime)
        {
            ScheduleTimer(executionStarted, at);
        }
        else
        {
            Deliver(executionStarted, allowCreate: false);
        }

        return Task.FromResult(true);
    }

    /// <inheritdoc />
    public Task SendMessageAsync(TaskMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        Deliver(message, allowCreate: false);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_instances.TryGetValue(instanceId, out var r) ? r.Metadata : null);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OrchestrationMetadata>> QueryInstancesAsync(OrchestrationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<OrchestrationMetadata>>([.. _instances.Values.Select(r => r.Metadata).Where(query.Matches).OrderBy(m => m.CreatedAt).Take(query.PageSize)]);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<HistoryEvent>>(_instances.TryGetValue(instanceId, out var r) ? [.. r.History] : []);
        }
    }

    /// <inheritdoc />
    public Task<int> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_instances.TryGetValue(instanceId, out var r) && r.Metadata.IsCompleted && _instances.Remove(instanceId) ? 1 : 0);
        }
    }

    private void Deliver(TaskMessage message, bool allowCreate)
    {
        lock (_gate)
        {
            if (!_instances.TryGetValue(message.InstanceId, out var record))
            {
                if (!allowCreate || message.Event is not ExecutionStartedEvent start)
                {
                    return;
                }

                var now = _time.GetUtcNow();
                _instances[message.InstanceId] = record = new InstanceRecord(new OrchestrationMetadata(start.Name, start.InstanceId)
                {
                    RuntimeStatus = OrchestrationRuntimeStatus.Pending,
                    CreatedAt = now,
                    LastUpdatedAt = now,
                    SerializedInput = start.Input,
                });
            }
            else if (record.Metadata.IsCompleted && message.Event is not ExecutionStartedEvent)
            {
                return;
            }

            record.Pending.Add(message);
            Signal(record);
        }
    }

    private void Signal(InstanceRecord record)
    {
        if (!record.Locked && !record.Queued)
        {
            record.Queued = true;
            _ready.Writer.TryWrite(record.Metadata.InstanceId);
        }
    }

    private void ScheduleTimer(TaskMessage message, DateTime? at = null)
    {
        var fireAt = at ?? ((TimerFiredEvent)message.Event).FireAt;
        var due = new DateTimeOffset(DateTime.SpecifyKind(fireAt, DateTimeKind.Utc)) - _time.GetUtcNow();
        if (due <= TimeSpan.Zero)
        {
            Deliver(message, allowCreate: false);
            return;
        }

        ITimer? timer = null;
        timer = _time.CreateTimer(
            _ =>
            {
                Deliver(message, allowCreate: false);
                timer?.Dispose();
            },
            null,
            due,
            Timeout.InfiniteTimeSpan);
    }

    private sealed class InstanceRecord(OrchestrationMetadata metadata)
    {
        public OrchestrationMetadata Metadata { get; set; } = metadata;

        public List<HistoryEvent> History { get; } = [];

        public List<TaskMessage> Pending { get; } = [];

        public bool Locked { get; set; }

        public bool Queued { get; set; }
    }
}
