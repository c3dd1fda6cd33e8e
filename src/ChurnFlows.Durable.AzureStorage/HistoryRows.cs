using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ChurnFlows.Durable.History;

namespace ChurnFlows.Durable.AzureStorage;

/// <summary>
/// History rows: one per event, keyed <c>{generation:X8}-{sequence:X8}</c> in the instance's partition,
/// so a ContinueAsNew or a restart starts a fresh generation and a read is one range query.
/// </summary>
internal static class HistoryRows
{
    public const string SentinelRowKey = "sentinel";

    public static string RowKey(int generation, int sequence) =>
        generation.ToString("X8", CultureInfo.InvariantCulture) + "-" + sequence.ToString("X8", CultureInfo.InvariantCulture);

    public static async Task<TableEntity> ToEntityAsync(string instanceId, int generation, int sequence, HistoryEvent e, LargePayloadStore payloads, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(TaskHubLayout.EscapeKey(instanceId), RowKey(generation, sequence)) { ["EventType"] = e.GetType().Name };
        var json = JsonSerializer.Serialize(e);
        if (payloads.IsLargeForTable(json))
        {
            entity["EventBlob"] = await payloads.UploadAsync(instanceId, $"history-{generation:X8}-{sequence:X8}", json, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            entity["Event"] = json;
        }

        return entity;
    }

    public static async Task<HistoryEvent> FromEntityAsync(TableEntity entity, LargePayloadStore payloads, CancellationToken cancellationToken)
    {
        var json = entity.GetString("EventBlob") is { Length: > 0 } blob
            ? await payloads.DownloadAsync(blob, cancellationToken).ConfigureAwait(false)
            : entity.GetString("Event") ?? throw new JsonException($"History row {entity.RowKey} holds no event.");
        return JsonSerializer.Deserialize<HistoryEvent>(json) ?? throw new JsonException($"History row {entity.RowKey} holds no event.");
    }

    /// <summary>The filter for one generation's first <paramref name="count"/> rows.</summary>
    public static string RangeFilter(string instanceId, int generation, int count) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {TaskHubLayout.EscapeKey(instanceId)} and RowKey ge {RowKey(generation, 0)} and RowKey lt {RowKey(generation, count)}");
}

/// <summary>
/// The sentinel row of an instance's history: the committed history length and generation and the
/// state after the last checkpoint. Every history batch updates it under its ETag, so two workers
/// that both believe they own an instance cannot both commit.
/// </summary>
internal sealed record SentinelState(ETag ETag, int Generation, int HistoryCount, long Checkpoint, string? ExecutionId, OrchestrationRuntimeStatus Status)
{
    public bool IsTerminal => Status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;

    public static SentinelState FromEntity(TableEntity e) => new(
        e.ETag,
        e.GetInt32("Generation") ?? 0,
        e.GetInt32("HistoryCount") ?? 0,
        e.GetInt64("Checkpoint") ?? 0,
        e.GetString("ExecutionId"),
        Enum.TryParse<OrchestrationRuntimeStatus>(e.GetString("RuntimeStatus"), out var s) ? s : OrchestrationRuntimeStatus.Pending);
}
