using Azure;
using Azure.Data.Tables;
using ChurnFlows.Durable.History;
using ChurnFlows.Durable.Hub;

namespace ChurnFlows.Durable.AzureStorage;

/// <summary>
/// Persisting an episode in an order that survives a crash at any point: (1) enqueue outbound
/// messages, (2) append history in entity group transactions, each guarded by the sentinel's ETag,
/// (3) update the instance row, (4) delete the consumed messages (or keep spent activity messages,
/// whose results are now recorded, for a later activity send to rewrite). A crash before (2) re-runs the
/// episode (duplicates are dropped by the worker); after (2) the redelivered messages are recognised
/// as applied or as addressed to a finished instance.
/// </summary>
public sealed partial class AzureStorageTaskHub
{
    /// <summary>The most operations one entity group transaction may hold.</summary>
    private const int MaxTransactionActions = 100;
    private const int RowsPerBatch = MaxTransactionActions - 1;
    private const int BytesPerBatch = 3 * 1024 * 1024;

    private async Task<SentinelState> PersistAsync(SessionLock lk, OrchestrationCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        await SendOutboundAsync(lk.InstanceId, checkpoint, cancellationToken).ConfigureAwait(false);
        _options.CheckpointProbe?.Invoke(CheckpointStage.MessagesSent, checkpoint);

        var now = _time.GetUtcNow();
        var checkpointNumber = (lk.Sentinel?.Checkpoint ?? 0) + 1;
        var columns = await InstanceRows.StateColumnsAsync(lk.InstanceId, checkpoint.State, checkpointNumber, now, _payloads, cancellationToken).ConfigureAwait(false);
        var started = checkpoint.NewEvents.OfType<ExecutionStartedEvent>().LastOrDefault();
        var sentinel = await WriteHistoryAsync(lk, checkpoint, columns, started?.ExecutionId ?? lk.Sentinel?.ExecutionId, cancellationToken).ConfigureAwait(false);
        _options.CheckpointProbe?.Invoke(CheckpointStage.HistoryWritten, checkpoint);

        var row = InstanceRows.Apply(new TableEntity(TaskHubLayout.EscapeKey(lk.InstanceId), InstanceRows.RowKey) { ["InstanceId"] = lk.InstanceId }, columns);
        if (sentinel.ExecutionId is { } executionId)
        {
            row["ExecutionId"] = executionId;
        }

        if (started is not null && (lk.Sentinel is null || lk.NewExecution))
        {
            row["CreatedTime"] = new DateTimeOffset(DateTime.SpecifyKind(started.Timestamp, DateTimeKind.Utc));
        }

        // A ContinueAsNew's new input wins over the input of an execution that started in the same episode.
        var input = checkpoint.State.Input ?? started?.Input;
        if (input is not null || started is not null)
        {
            var inputColumns = new Dictionary<string, object?>(StringComparer.Ordinal);
            await InstanceRows.SetTextAsync(inputColumns, lk.InstanceId, "Input", input, _payloads, cancellationToken).ConfigureAwait(false);
            InstanceRows.Apply(row, inputColumns);
        }

        // An episode that leaves the instance running as before needs no row write: readers of a running
        // row consult the sentinel (see ReadInstanceAsync), which already holds the new custom status.
        // The first episode of a client-started instance finds the row the client wrote (readers see Running through the sentinel).
        var unchanged = !sentinel.IsTerminal && !lk.NewExecution && (started is null
            ? checkpoint.State.Input is null && lk.Sentinel?.Status == checkpoint.State.Status
            : started.Parent is null && lk.Sentinel is null && checkpoint.State.Status == OrchestrationRuntimeStatus.Running);
        if (!unchanged)
        {
            await _instances.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }

        _options.CheckpointProbe?.Invoke(CheckpointStage.InstanceUpdated, checkpoint);

        await Task.WhenAll(lk.Consumed.Select(ConsumeAsync)).ConfigureAwait(false);
        _options.CheckpointProbe?.Invoke(CheckpointStage.MessagesDeleted, checkpoint);
        if (lk.NewExecution && lk.Sentinel is { } finished)
        {
            RetireGeneration(lk.InstanceId, finished.Generation, finished.HistoryCount);
        }

        if (checkpoint.ResetHistory && !lk.NewExecution && lk.Sentinel is { } continued)
        {
            RetireGeneration(lk.InstanceId, continued.Generation, continued.HistoryCount);
        }

        return sentinel;
    }

    private async Task SendOutboundAsync(string instanceId, OrchestrationCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var sends = new List<Func<CancellationToken, Task>>();
        foreach (var m in checkpoint.ActivityMessages)
        {
            sends.Add(ct => SendActivityAsync(m, ct));
        }

        foreach (var m in checkpoint.TimerMessages)
        {
            sends.Add(ct => SendAsync(m.InstanceId, [m.Event], DueAt(m.Event), ct));
        }

        // Consecutive messages to one instance (a ContinueAsNew start and its carried events) share a queue message, in order.
        var groups = new List<(string InstanceId, List<HistoryEvent> Events)>();
        foreach (var m in checkpoint.OrchestratorMessages)
        {
            if (groups.Count > 0 && groups[^1].InstanceId == m.InstanceId)
            {
                groups[^1].Events.Add(m.Event);
            }
            else
            {
                groups.Add((m.InstanceId, [m.Event]));
            }
        }

        sends.AddRange(groups.Select(g => (Func<CancellationToken, Task>)(ct => SendAsync(g.InstanceId, g.Events, null, ct))));
        await Parallel.ForEachAsync(sends, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (send, ct) => await send(ct).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>Appends the episode's events; every batch carries the sentinel under its ETag so a second writer fails (409/412) instead of corrupting history.</summary>
    private async Task<SentinelState> WriteHistoryAsync(SessionLock lk, OrchestrationCheckpoint checkpoint, Dictionary<string, object?> state, string? executionId, CancellationToken cancellationToken)
    {
        var before = lk.Sentinel;
        var generation = (before?.Generation ?? 0) + (lk.NewExecution ? 1 : 0);
        var start = lk.NewExecution ? 0 : before?.HistoryCount ?? 0;
        var rows = new List<TableEntity>();
        if (!checkpoint.ResetHistory)
        {
            for (var i = 0; i < checkpoint.NewEvents.Count; i++)
            {
                rows.Add(await HistoryRows.ToEntityAsync(lk.InstanceId, generation, start + i, checkpoint.NewEvents[i], _payloads, cancellationToken).ConfigureAwait(false));
            }
        }

        var count = checkpoint.ResetHistory ? 0 : start + rows.Count;
        var finalGeneration = checkpoint.ResetHistory ? generation + 1 : generation;
        var batches = Batch(rows);
        var key = TaskHubLayout.EscapeKey(lk.InstanceId);
        var etag = before?.ETag ?? default;
        var exists = before is not null;
        for (var b = 0; b < batches.Count; b++)
        {
            var sentinel = new TableEntity(key, HistoryRows.SentinelRowKey);
            if (b == batches.Count - 1)
            {
                InstanceRows.Apply(sentinel, state);
                sentinel["Generation"] = finalGeneration;
                sentinel["HistoryCount"] = count;
                sentinel["InstanceId"] = lk.InstanceId;
                if (executionId is not null)
                {
                    sentinel["ExecutionId"] = executionId;
                }
            }
            else
            {
                sentinel["Writing"] = start + rows.Count; // touch: takes the ETag so a concurrent writer fails its first batch
            }

            var actions = batches[b].Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)).ToList();
            // An update without an ETag would be an upsert in a transaction: the sentinel must exist (it always has one when read).
            actions.Add(exists ? new TableTransactionAction(TableTransactionActionType.UpdateMerge, sentinel, etag == default ? ETag.All : etag) : new TableTransactionAction(TableTransactionActionType.Add, sentinel));
            try
            {
                var responses = await _history.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                etag = responses.Value[^1].Headers.ETag ?? default;
                exists = true;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
            {
                throw new InvalidOperationException($"Another worker checkpointed orchestration '{lk.InstanceId}' first (split brain, status {e.Status}); this episode is abandoned and will be retried from storage.", e);
            }
        }

        var status = Enum.Parse<OrchestrationRuntimeStatus>((string)state["RuntimeStatus"]!);
        return new SentinelState(etag, finalGeneration, count, (long)state["Checkpoint"]!, executionId, status);
    }

    private static List<List<TableEntity>> Batch(List<TableEntity> rows)
    {
        var batches = new List<List<TableEntity>> { new() };
        var bytes = 0;
        foreach (var row in rows)
        {
            var size = (row.GetString("Event")?.Length ?? 0) + 200;
            if (batches[^1].Count == RowsPerBatch || (batches[^1].Count > 0 && bytes + size > BytesPerBatch))
            {
                batches.Add([]);
                bytes = 0;
            }

            batches[^1].Add(row);
            bytes += size;
        }

        return batches;
    }

    /// <summary>
    /// Fails the instance (without running it) because one of its messages was dequeued too often; the messages
    /// move to the poison queue. A sub-orchestration's parent is told, so it never waits for a child that cannot finish.
    /// </summary>
    private async Task FailPoisonedAsync(SessionLock lk, CancellationToken cancellationToken)
    {
        foreach (var m in lk.Consumed.Where(m => m.Poisoned))
        {
            await _poison.EnqueueAsync(m.Body, null, cancellationToken).ConfigureAwait(false);
        }

        if (lk.Sentinel is { IsTerminal: true })
        {
            await Task.WhenAll(lk.Consumed.Select(ConsumeAsync)).ConfigureAwait(false);
            await ReleaseSessionAsync(lk, abandon: false).ConfigureAwait(false);
            return;
        }

        var poisoned = lk.Consumed.First(m => m.Poisoned);
        var kinds = string.Join(", ", poisoned.Messages.Select(m => m.Event.GetType().Name.Replace("Event", string.Empty, StringComparison.Ordinal)));
        var failure = new TaskFailureDetails("PoisonMessage", $"A message for orchestration '{lk.InstanceId}' ({kinds}) was dequeued {poisoned.DequeueCount} times without a successful checkpoint (limit {_options.MaxDequeueCount}) and was moved to queue '{_poison.Name}'.");
        var existing = await GetInstanceAsync(lk.InstanceId, cancellationToken).ConfigureAwait(false);
        var start = lk.Consumed.SelectMany(m => m.Messages).Select(m => m.Event).OfType<ExecutionStartedEvent>().LastOrDefault();
        if (existing is null && lk.Sentinel is null && start is null)
        {
            await Task.WhenAll(lk.Consumed.Select(ConsumeAsync)).ConfigureAwait(false);
            await ReleaseSessionAsync(lk, abandon: false).ConfigureAwait(false);
            return;
        }

        // An instance that never checkpointed records its start, so its history and row say what failed to run.
        var firstEvents = lk.Sentinel is null && start is not null ? new HistoryEvent[] { start } : [];
        var parent = start?.Parent ?? (await GetHistoryAsync(lk.InstanceId, cancellationToken).ConfigureAwait(false)).OfType<ExecutionStartedEvent>().LastOrDefault()?.Parent;
        var now = _time.GetUtcNow().UtcDateTime;
        Logs.PoisonMessage(_logger, lk.Partition.Queue.Name, poisoned.MessageId, poisoned.DequeueCount, lk.InstanceId);
        var checkpoint = new OrchestrationCheckpoint
        {
            NewEvents = [new OrchestratorStartedEvent(now), .. firstEvents, new ExecutionCompletedEvent(now, OrchestrationRuntimeStatus.Failed, null, failure), new OrchestratorCompletedEvent(now)],
            OrchestratorMessages = parent is null ? [] : [new TaskMessage(parent.InstanceId, new SubOrchestrationInstanceFailedEvent(now, parent.TaskScheduledId, failure))],
            State = new InstanceState(existing?.Name ?? start?.Name ?? string.Empty, OrchestrationRuntimeStatus.Failed, null, null, null, failure),
        };
        var sentinel = await PersistAsync(lk, checkpoint, cancellationToken).ConfigureAwait(false);
        await ReleaseSessionAsync(lk with { Sentinel = sentinel }, abandon: false).ConfigureAwait(false);
    }

    private async Task<SentinelState?> ReadSentinelAsync(string instanceId, CancellationToken cancellationToken)
    {
        var entity = await _history.GetEntityIfExistsAsync<TableEntity>(TaskHubLayout.EscapeKey(instanceId), HistoryRows.SentinelRowKey, ["Generation", "HistoryCount", "Checkpoint", "ExecutionId", "RuntimeStatus"], cancellationToken).ConfigureAwait(false);
        return entity.HasValue ? SentinelState.FromEntity(entity.Value!) : null;
    }
}
