using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Azure;
using ChurnFlows.Durable.History;
using ChurnFlows.Durable.Hub;
using ChurnFlows.Storage.Queues;

namespace ChurnFlows.Durable.AzureStorage;

/// <summary>Activity work items: competing consumers on <c>&lt;hub&gt;-workitems</c>, fetched 32 at a time.</summary>
public sealed partial class AzureStorageTaskHub
{
    private readonly ConcurrentQueue<ActivityWorkItem> _prefetched = new();
    private readonly SemaphoreSlim _activityFetch = new(1, 1);
    private readonly Wakeup _activityWakeup = new();
    private ActivityResultBatcher? _results;

    private ActivityResultBatcher Results => LazyInitializer.EnsureInitialized(ref _results, () => new ActivityResultBatcher((id, events, ct) => SendAsync(id, events, null, ct), _options.ResultBatchWindow));

    /// <inheritdoc />
    public async Task<ActivityWorkItem?> LockNextActivityWorkItemAsync(TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var idle = MinimumPollingInterval;
        while (true)
        {
            if (_prefetched.TryDequeue(out var ready))
            {
                return ready;
            }

            var remaining = maxWait - clock.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                return null;
            }

            await _activityFetch.WaitAsync(cancellationToken).ConfigureAwait(false);
            int fetched;
            try
            {
                fetched = _prefetched.IsEmpty ? await FetchActivitiesAsync(cancellationToken).ConfigureAwait(false) : 1;
            }
            finally
            {
                _activityFetch.Release();
            }

            if (fetched == 0)
            {
                try
                {
                    await _activityWakeup.WaitAsync(idle < remaining ? idle : remaining, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    return null;
                }

                idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, _options.MaxPollingInterval.Ticks));
            }
            else
            {
                idle = MinimumPollingInterval;
            }
        }
    }

    /// <inheritdoc />
    public async Task CompleteActivityWorkItemAsync(ActivityWorkItem workItem, TaskMessage result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        ArgumentNullException.ThrowIfNull(result);
        var lk = (ActivityLock)workItem.LockToken!;
        await lk.StopRenewingAsync().ConfigureAwait(false);

        // A locally delivered result keeps its message hidden until the orchestration's checkpoint deletes it.
        if (IsOwnedLocally(result.InstanceId))
        {
            await lk.EnsureHiddenForAsync(cancellationToken).ConfigureAwait(false);
        }

        if (TryDeliverLocally(result, lk, workItem.DequeueCount))
        {
            return;
        }

        await Results.SendAsync(result.InstanceId, result.Event, cancellationToken).ConfigureAwait(false);
        await DeleteQuietlyAsync(_workItems, lk.MessageId, lk.PopReceipt).ConfigureAwait(false);
    }

    /// <summary>
    /// When this process owns the orchestration's partition, hands the result to its session in memory
    /// and leaves the activity message in the queue until the checkpoint that records the result deletes
    /// it: a crash before then re-runs the activity (at least once) instead of losing its result, and the
    /// result costs no control-queue send, receive or delete.
    /// </summary>
    private bool IsOwnedLocally(string instanceId)
    {
        lock (_owned)
        {
            return _owned.ContainsKey(_layout.PartitionOf(instanceId));
        }
    }

    private bool TryDeliverLocally(TaskMessage result, ActivityLock lk, int dequeueCount)
    {
        ControlPartition? partition;
        lock (_owned)
        {
            partition = _owned.TryGetValue(_layout.PartitionOf(result.InstanceId), out var owned) ? owned.Partition : null;
        }

        if (partition is null)
        {
            return false;
        }

        var received = new ReceivedMessage
        {
            Queue = _workItems,
            MessageId = lk.MessageId,
            PopReceipt = lk.PopReceipt,
            DequeueCount = dequeueCount,
            Body = string.Empty,
            InstanceId = result.InstanceId,
            Messages = [result],
        };
        lock (partition)
        {
            if (!partition.IsOwned || !partition.Held.TryAdd(received.MessageId, received))
            {
                return false;
            }

            if (!partition.Instances.TryGetValue(result.InstanceId, out var session))
            {
                partition.Instances[result.InstanceId] = session = new InstanceSession();
            }

            session.Pending.Add(received);
            Signal(partition, result.InstanceId, session);
        }

        return true;
    }

    /// <inheritdoc />
    public async Task AbandonActivityWorkItemAsync(ActivityWorkItem workItem, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        var lk = (ActivityLock)workItem.LockToken!;
        await lk.StopRenewingAsync().ConfigureAwait(false);
        try
        {
            await _workItems.UpdateMessageAsync(lk.MessageId, lk.PopReceipt, TimeSpan.Zero, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 400 or 404)
        {
            // Its visibility ran out and another worker has it.
        }

        _activityWakeup.Set();
    }

    private async Task<int> FetchActivitiesAsync(CancellationToken cancellationToken)
    {
        var received = await _workItems.ReceiveMessagesAsync(_options.QueueBatchSize, _options.WorkItemVisibilityTimeout, cancellationToken).ConfigureAwait(false);
        var items = new ActivityWorkItem?[received.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, received.Count), cancellationToken, async (i, ct) =>
            items[i] = await AcceptActivityAsync(received[i], ct).ConfigureAwait(false)).ConfigureAwait(false);
        foreach (var item in items)
        {
            if (item is not null)
            {
                _prefetched.Enqueue(item);
            }
        }

        return received.Count;
    }

    private async Task<ActivityWorkItem?> AcceptActivityAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        TaskMessage invocation;
        try
        {
            invocation = (await _codec.DecodeAsync(message.Body, cancellationToken).ConfigureAwait(false)).Single();
            _ = (TaskScheduledEvent)invocation.Event;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidDataException or InvalidOperationException or InvalidCastException || (e is RequestFailedException { Status: 404 }))
        {
            await MoveToPoisonAsync(_workItems, message.MessageId, message.PopReceipt, message.Body, cancellationToken).ConfigureAwait(false);
            Logs.UnreadableMessage(_logger, _workItems.Name, message.MessageId, e);
            return null;
        }

        var scheduled = (TaskScheduledEvent)invocation.Event;
        if (message.DequeueCount > _options.MaxDequeueCount)
        {
            // Fail the activity visibly instead of retrying forever: the orchestration sees a TaskFailedException.
            Logs.PoisonMessage(_logger, _workItems.Name, message.MessageId, message.DequeueCount, invocation.InstanceId);
            await _poison.SendMessageAsync(message.Body, null, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            var failure = new TaskFailureDetails("PoisonMessage", $"Activity '{scheduled.Name}' (#{scheduled.EventId}) was dequeued {message.DequeueCount} times without completing (limit {_options.MaxDequeueCount}) and was moved to queue '{_poison.Name}'.");
            await SendAsync(invocation.InstanceId, [new TaskFailedEvent(_time.GetUtcNow().UtcDateTime, scheduled.EventId, failure)], null, cancellationToken).ConfigureAwait(false);
            await DeleteQuietlyAsync(_workItems, message.MessageId, message.PopReceipt).ConfigureAwait(false);
            return null;
        }

        return new ActivityWorkItem(invocation.InstanceId, scheduled, new ActivityLock(_workItems, message.MessageId, message.PopReceipt, _options.WorkItemVisibilityTimeout, _options.MaximumActivityLockDuration, _time, _disposed.Token), (int)message.DequeueCount);
    }

    private async Task ReturnPrefetchedActivitiesAsync()
    {
        var items = new List<ActivityWorkItem>();
        while (_prefetched.TryDequeue(out var item))
        {
            items.Add(item);
        }

        await Task.WhenAll(items.Select(i => AbandonActivityWorkItemAsync(i))).ConfigureAwait(false);
    }

}
