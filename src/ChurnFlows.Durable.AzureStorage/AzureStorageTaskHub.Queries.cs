using Azure;
using Azure.Data.Tables;
using ChurnFlows.Durable.Client;
using ChurnFlows.Durable.History;

namespace ChurnFlows.Durable.AzureStorage;

/// <summary>Reading instances and history, repairing a stale instance row from the sentinel, and purging.</summary>
public sealed partial class AzureStorageTaskHub
{
    /// <inheritdoc />
    public async Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var row = await _instances.GetEntityIfExistsAsync<TableEntity>(TaskHubLayout.EscapeKey(instanceId), InstanceRows.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue)
        {
            // A crash between the history write and the first instance-row write leaves only the sentinel.
            var sentinel = await _history.GetEntityIfExistsAsync<TableEntity>(TaskHubLayout.EscapeKey(instanceId), HistoryRows.SentinelRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            return sentinel.HasValue ? await InstanceRows.ReadAsync(sentinel.Value!, null, _payloads, cancellationToken).ConfigureAwait(false) : null;
        }

        return await ReadInstanceAsync(row.Value!, null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OrchestrationMetadata>> QueryInstancesAsync(OrchestrationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var clauses = new List<string> { TableClient.CreateQueryFilter($"RowKey eq {InstanceRows.RowKey}") };
        if (query.CreatedFrom is { } from)
        {
            clauses.Add(TableClient.CreateQueryFilter($"CreatedTime ge {from}"));
        }

        if (query.CreatedTo is { } to)
        {
            clauses.Add(TableClient.CreateQueryFilter($"CreatedTime le {to}"));
        }

        var results = new List<OrchestrationMetadata>();
        await foreach (var row in _instances.QueryAsync<TableEntity>(string.Join(" and ", clauses), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var metadata = await ReadInstanceAsync(row, null, cancellationToken).ConfigureAwait(false);
            if (query.Matches(metadata))
            {
                results.Add(metadata);
            }
        }

        return [.. results.OrderBy(m => m.CreatedAt).Take(query.PageSize)];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var sentinel = await ReadSentinelAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (sentinel is null || sentinel.HistoryCount == 0)
        {
            return [];
        }

        var events = new List<HistoryEvent>(sentinel.HistoryCount);
        await foreach (var row in _history.QueryAsync<TableEntity>(HistoryRows.RangeFilter(instanceId, sentinel.Generation, sentinel.HistoryCount), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            events.Add(await HistoryRows.FromEntityAsync(row, _payloads, cancellationToken).ConfigureAwait(false));
        }

        return events;
    }

    /// <inheritdoc />
    public async Task<int> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var instance = await GetInstanceAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (instance is not { IsCompleted: true })
        {
            return 0;
        }

        var key = TaskHubLayout.EscapeKey(instanceId);
        var rows = new List<TableEntity>();
        await foreach (var row in _history.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {key}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        await DeleteHistoryRowsAsync(rows, cancellationToken).ConfigureAwait(false);
        await _payloads.DeleteInstanceAsync(instanceId, cancellationToken).ConfigureAwait(false);
        await _instances.DeleteEntityAsync(key, InstanceRows.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return 1;
    }

    private async Task DeleteHistoryRowsAsync(IEnumerable<TableEntity> rows, CancellationToken cancellationToken)
    {
        foreach (var chunk in rows.Chunk(MaxTransactionActions))
        {
            await _history.SubmitTransactionAsync([.. chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r))], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Deletes the rows of a generation the sentinel no longer points at (after ContinueAsNew or a
    /// restart), in the background: an eternal orchestration's history does not grow without bound.
    /// A failure only leaves garbage that a purge removes.
    /// </summary>
    private void RetireGeneration(string instanceId, int generation, int count)
    {
        if (count == 0)
        {
            return;
        }

        var key = TaskHubLayout.EscapeKey(instanceId);
        var rows = Enumerable.Range(0, count).Select(i => new TableEntity(key, HistoryRows.RowKey(generation, i)));
        _ = Task.Run(async () =>
        {
            try
            {
                await DeleteHistoryRowsAsync(rows, CancellationToken.None).ConfigureAwait(false);
            }
            catch (RequestFailedException e)
            {
                Logs.RetireFailed(_logger, instanceId, generation, e);
            }
        });
    }

    /// <summary>
    /// Reads an instance row; when it says running but the sentinel has a later checkpoint (episodes
    /// that keep an instance running skip the row write, and a crash can fall between the history write
    /// and the row update), the sentinel's state wins, and a finished state is written back to the row.
    /// </summary>
    private async Task<OrchestrationMetadata> ReadInstanceAsync(TableEntity row, SentinelState? sentinel, CancellationToken cancellationToken)
    {
        var metadata = await InstanceRows.ReadAsync(row, null, _payloads, cancellationToken).ConfigureAwait(false);
        if (!metadata.IsRunning || (sentinel is not null && sentinel.Checkpoint <= (row.GetInt64("Checkpoint") ?? 0)))
        {
            return metadata;
        }

        var found = await _history.GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, HistoryRows.SentinelRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        var latest = found.HasValue ? found.Value : null;
        if (latest is null || (latest.GetInt64("Checkpoint") ?? 0) <= (row.GetInt64("Checkpoint") ?? 0))
        {
            return metadata;
        }

        if (SentinelState.FromEntity(latest).IsTerminal)
        {
            await RepairAsync(row, latest, cancellationToken).ConfigureAwait(false);
        }

        return await InstanceRows.ReadAsync(row, latest, _payloads, cancellationToken).ConfigureAwait(false);
    }

    private async Task RepairInstanceRowAsync(string instanceId, CancellationToken cancellationToken)
    {
        var row = await _instances.GetEntityIfExistsAsync<TableEntity>(TaskHubLayout.EscapeKey(instanceId), InstanceRows.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (row.HasValue)
        {
            await ReadInstanceAsync(row.Value!, null, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RepairAsync(TableEntity row, TableEntity sentinel, CancellationToken cancellationToken)
    {
        var repaired = new TableEntity(row.PartitionKey, row.RowKey);
        foreach (var name in (string[])["Name", "RuntimeStatus", "LastUpdatedTime", "Checkpoint", "ExecutionId", "Output", "OutputNull", "OutputBlob", "CustomStatus", "CustomStatusNull", "CustomStatusBlob", "Failure", "FailureNull", "FailureBlob"])
        {
            if (sentinel.ContainsKey(name))
            {
                repaired[name] = sentinel[name];
            }
        }

        try
        {
            await _instances.UpdateEntityAsync(repaired, row.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            // Someone updated or purged it meanwhile; readers repair again if needed.
        }
    }
}
