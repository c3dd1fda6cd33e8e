using Azure.Data.Tables;
using ChurnFlows.Durable.History;
using ChurnFlows.Durable.Hub;

namespace ChurnFlows.Durable.AzureStorage;

/// <summary>Orchestration work items: locking an instance's pending messages, dropping stale ones, and releasing.</summary>
public sealed partial class AzureStorageTaskHub
{
    /// <inheritdoc />
    public async Task<OrchestrationWorkItem?> LockNextOrchestrationWorkItemAsync(TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        EnsureOwnershipStarted();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(maxWait);
        try
        {
            return await _prepared.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>
    /// Turns ready instances into work items, several at a time (reading a sentinel is a round trip,
    /// so preparing one by one would cap the episode rate at one per read).
    /// </summary>
    private async Task PrepareWorkItemsAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            ControlPartition partition;
            string instanceId;
            try
            {
                (partition, instanceId) = await _ready.Reader.ReadAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            InstanceSession? session;
            List<ReceivedMessage> taken;
            lock (partition)
            {
                if (!partition.IsOwned || !partition.Instances.TryGetValue(instanceId, out session))
                {
                    continue;
                }

                session.Queued = false;
                if (session.Locked || session.Pending.Count == 0)
                {
                    continue;
                }

                session.Locked = true;
                taken = [.. session.Pending];
                session.Pending.Clear();
            }

            OrchestrationWorkItem? item = null;
            try
            {
                item = await PrepareWorkItemAsync(partition, instanceId, session, taken, stopping).ConfigureAwait(false);
                if (item is not null)
                {
                    await _prepared.Writer.WriteAsync(item, stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                Requeue(new SessionLock(partition, instanceId, session, taken, null, false));
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Logs.SessionFailed(_logger, instanceId, e);
                await ReleaseSessionAsync(new SessionLock(partition, instanceId, session, taken, null, false), abandon: true).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Puts a prepared but unprocessed session's messages back in front of its pending ones (still held, so a partition release returns them to the queue).</summary>
    private static void Requeue(SessionLock lk)
    {
        lock (lk.Partition)
        {
            lk.Session.Pending.InsertRange(0, lk.Consumed);
            lk.Session.Locked = false;
            lk.Session.Sentinel = null;
        }
    }

    /// <inheritdoc />
    public async Task CompleteOrchestrationWorkItemAsync(OrchestrationWorkItem workItem, OrchestrationCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var session = (SessionLock)workItem.LockToken!;
        var sentinel = await PersistAsync(session, checkpoint, cancellationToken).ConfigureAwait(false);
        await ReleaseSessionAsync(session with { Sentinel = sentinel }, abandon: false).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task AbandonOrchestrationWorkItemAsync(OrchestrationWorkItem workItem, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        return ReleaseSessionAsync((SessionLock)workItem.LockToken!, abandon: true);
    }

    /// <summary>Builds the work item, or handles the messages itself (stale, poisoned) and returns null.</summary>
    private async Task<OrchestrationWorkItem?> PrepareWorkItemAsync(ControlPartition partition, string instanceId, InstanceSession session, List<ReceivedMessage> taken, CancellationToken cancellationToken)
    {
        // A first delivery of a start without a cached sentinel is almost always a new instance: skip the read.
        // If history does exist (a restart of a finished instance), the checkpoint's insert of the sentinel
        // fails, the episode is abandoned, and the redelivery (dequeue count 2) reads the sentinel.
        var fresh = session.Sentinel is null && taken.All(m => m.DequeueCount == 1) && taken.Any(m => m.Messages.Any(e => e.Event is ExecutionStartedEvent));
        var sentinel = session.Sentinel ?? (fresh ? null : await ReadSentinelAsync(instanceId, cancellationToken).ConfigureAwait(false));
        if (taken.Any(m => m.Poisoned))
        {
            await FailPoisonedAsync(new SessionLock(partition, instanceId, session, taken, sentinel, false), cancellationToken).ConfigureAwait(false);
            return null;
        }

        var accepted = new List<TaskMessage>();
        var newExecution = false;
        foreach (var message in taken.SelectMany(m => m.Messages))
        {
            if (message.Event is ExecutionStartedEvent start)
            {
                if (sentinel is not null && start.ExecutionId == sentinel.ExecutionId)
                {
                    continue; // already applied: a redelivery after a crash
                }

                if (sentinel is { IsTerminal: true })
                {
                    newExecution = true; // a restart of a finished instance starts a fresh history
                    accepted.Clear();
                }
            }
            else if (sentinel is { IsTerminal: true } && !newExecution)
            {
                continue; // messages for a finished instance are dropped
            }

            accepted.Add(message);
        }

        if (accepted.Count > 0 && sentinel is null && !accepted.Any(m => m.Event is ExecutionStartedEvent)
            && !(await _instances.GetEntityIfExistsAsync<TableEntity>(TaskHubLayout.EscapeKey(instanceId), InstanceRows.RowKey, ["PartitionKey"], cancellationToken).ConfigureAwait(false)).HasValue)
        {
            accepted.Clear(); // messages for an instance that does not exist are dropped
        }

        var lk = new SessionLock(partition, instanceId, session, taken, sentinel, newExecution);
        if (accepted.Count == 0)
        {
            if (sentinel is { IsTerminal: true })
            {
                await RepairInstanceRowAsync(instanceId, cancellationToken).ConfigureAwait(false);
            }

            await Task.WhenAll(taken.Select(ConsumeAsync)).ConfigureAwait(false);
            await ReleaseSessionAsync(lk with { Sentinel = sentinel is { IsTerminal: true } ? null : sentinel }, abandon: false).ConfigureAwait(false);
            return null;
        }

        return new OrchestrationWorkItem(instanceId, newExecution ? 0 : sentinel?.HistoryCount ?? 0, accepted, lk);
    }

    /// <summary>Unlocks the instance; an abandon makes its messages visible again after a back-off and forgets the cached sentinel.</summary>
    private async Task ReleaseSessionAsync(SessionLock lk, bool abandon)
    {
        var partition = lk.Partition;
        lock (partition)
        {
            foreach (var m in lk.Consumed)
            {
                partition.Held.Remove(m.HeldKey);
            }

            lk.Session.Locked = false;
            lk.Session.Sentinel = abandon || lk.Sentinel is { IsTerminal: true } ? null : lk.Sentinel;
            if (lk.Session.Pending.Count > 0)
            {
                Signal(partition, lk.InstanceId, lk.Session);
            }
            else if (lk.Session.Sentinel is null && partition.Instances.TryGetValue(lk.InstanceId, out var s) && s == lk.Session)
            {
                partition.Instances.Remove(lk.InstanceId);
            }
        }

        if (abandon)
        {
            await Task.WhenAll(lk.Consumed.Select(m => ReturnToQueueAsync(m, TimeSpan.FromSeconds(Math.Min(m.DequeueCount, 30))))).ConfigureAwait(false);
        }
    }
}
