using System.Collections.Concurrent;
using ChurnFlows.Durable.History;
using ChurnFlows.Durable.Hub;

namespace ChurnFlows.Durable.AzureStorage;

/// <summary>Completing and abandoning activity work items (handed over locally, or fetched from <c>&lt;hub&gt;-workitems</c>).</summary>
public sealed partial class AzureStorageTaskHub
{
    private readonly ConcurrentQueue<ActivityWorkItem> _prefetched = new();
    private ActivityResultBatcher? _results;

    private ActivityResultBatcher Results => LazyInitializer.EnsureInitialized(ref _results, () => new ActivityResultBatcher((id, events, ct) => SendAsync(id, events, null, ct), _options.ResultBatchWindow));

    /// <inheritdoc />
    public async Task CompleteActivityWorkItemAsync(ActivityWorkItem workItem, TaskMessage result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        ArgumentNullException.ThrowIfNull(result);
        var hold = (ActivityHold)workItem.LockToken!;
        var lk = hold.Message;
        if (hold.TryRelease() && await ReleaseActivitySlotAsync(lk, abandoned: false).ConfigureAwait(false))
        {
            // Another activity of its message was abandoned: the message goes back so they all run again.
            await lk.ReturnAsync(TimeSpan.Zero).ConfigureAwait(false);
            ActivitiesQueued();
        }

        // A locally delivered result keeps its message hidden until the orchestration's checkpoint deletes (or reuses) it.
        if (IsOwnedLocally(result.InstanceId))
        {
            await lk.EnsureHiddenForAsync(cancellationToken).ConfigureAwait(false);
        }

        if (TryDeliverLocally(result, lk, workItem.DequeueCount))
        {
            return;
        }

        await Results.SendAsync(result.InstanceId, result.Event, cancellationToken).ConfigureAwait(false);
        if (lk.Settle())
        {
            await DeleteQuietlyAsync(_workItems, lk.MessageId, lk.PopReceipt).ConfigureAwait(false);
        }
    }

    private bool IsOwnedLocally(string instanceId)
    {
        lock (_owned)
        {
            return _owned.ContainsKey(_layout.PartitionOf(instanceId));
        }
    }

    /// <summary>
    /// When this process owns the orchestration's partition, hands the result to its session in memory
    /// and leaves the activity message in the queue until the checkpoint that records the result settles
    /// it: a crash before then re-runs the activity (at least once) instead of losing its result, and the
    /// result costs no control-queue send, receive or delete.
    /// </summary>
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
            HeldKey = FormattableString.Invariant($"{lk.MessageId}/{result.InstanceId}/{ResultTaskId(result.Event)}"),
            PopReceipt = lk.PopReceipt,
            DequeueCount = dequeueCount,
            Body = string.Empty,
            InstanceId = result.InstanceId,
            Messages = [result],
            Activity = lk,
        };
        lock (partition)
        {
            if (!partition.IsOwned || !partition.Held.TryAdd(received.HeldKey, received))
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
        var hold = (ActivityHold)workItem.LockToken!;
        var lk = hold.Message;

        // A message carrying several activities goes back once none of them runs any more (the others then run again too);
        // after a failed completion the activity has already released its share.
        var returnNow = hold.TryRelease() ? await ReleaseActivitySlotAsync(lk, abandoned: true).ConfigureAwait(false) : lk.Activities == 1;
        if (returnNow)
        {
            await lk.ReturnAsync(TimeSpan.Zero).ConfigureAwait(false);
            ActivitiesQueued();
        }
    }

    private static int ResultTaskId(HistoryEvent result) => result switch
    {
        TaskCompletedEvent c => c.TaskScheduledId,
        TaskFailedEvent f => f.TaskScheduledId,
        _ => -1,
    };

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
