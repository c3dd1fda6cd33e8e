using System.Text.Json;
using Azure.Data.Tables;
using ChurnFlows.Durable.Client;
using ChurnFlows.Durable.Hub;

namespace ChurnFlows.Durable.AzureStorage;

/// <summary>
/// Instance state columns, written to the Instances row and (as the source of truth for repair)
/// to the history sentinel. Text values too large for a property live in blobs: the column
/// <c>X</c> is then empty and <c>XBlob</c> names the blob.
/// </summary>
internal static class InstanceRows
{
    public const string RowKey = "";

    /// <summary>Computes the state columns once (uploading large values once) for both rows.</summary>
    public static async Task<Dictionary<string, object?>> StateColumnsAsync(string instanceId, InstanceState state, long checkpoint, DateTimeOffset now, LargePayloadStore payloads, CancellationToken cancellationToken)
    {
        var columns = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Name"] = state.Name,
            ["RuntimeStatus"] = state.Status.ToString(),
            ["LastUpdatedTime"] = now,
            ["Checkpoint"] = checkpoint,
        };
        await SetTextAsync(columns, instanceId, "Output", state.Output, payloads, cancellationToken).ConfigureAwait(false);
        await SetTextAsync(columns, instanceId, "CustomStatus", state.CustomStatus, payloads, cancellationToken).ConfigureAwait(false);
        await SetTextAsync(columns, instanceId, "Failure", state.Failure is null ? null : JsonSerializer.Serialize(state.Failure), payloads, cancellationToken).ConfigureAwait(false);
        return columns;
    }

    /// <summary>Sets a text column, or its blob reference when large; an empty string clears the other on merge.</summary>
    public static async Task SetTextAsync(IDictionary<string, object?> columns, string instanceId, string name, string? value, LargePayloadStore payloads, CancellationToken cancellationToken)
    {
        if (payloads.IsLargeForTable(value))
        {
            columns[name] = string.Empty;
            columns[name + "Blob"] = await payloads.UploadAsync(instanceId, name.ToLowerInvariant(), value!, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            columns[name] = value ?? string.Empty;
            columns[name + "Null"] = value is null;
            columns[name + "Blob"] = string.Empty;
        }
    }

    public static TableEntity Apply(TableEntity entity, IReadOnlyDictionary<string, object?> columns)
    {
        foreach (var (key, value) in columns)
        {
            entity[key] = value;
        }

        return entity;
    }

    public static async Task<OrchestrationMetadata> ReadAsync(TableEntity row, TableEntity? stateOverride, LargePayloadStore payloads, CancellationToken cancellationToken)
    {
        var state = stateOverride ?? row;
        var failure = await ReadTextAsync(state, "Failure", payloads, cancellationToken).ConfigureAwait(false);
        return new OrchestrationMetadata(state.GetString("Name") ?? row.GetString("Name") ?? string.Empty, row.GetString("InstanceId") ?? state.GetString("InstanceId") ?? row.PartitionKey)
        {
            RuntimeStatus = Enum.TryParse<OrchestrationRuntimeStatus>(state.GetString("RuntimeStatus"), out var s) ? s : OrchestrationRuntimeStatus.Pending,
            CreatedAt = row.GetDateTimeOffset("CreatedTime") ?? state.GetDateTimeOffset("LastUpdatedTime") ?? default,
            LastUpdatedAt = state.GetDateTimeOffset("LastUpdatedTime") ?? default,
            SerializedInput = await ReadTextAsync(row, "Input", payloads, cancellationToken).ConfigureAwait(false),
            SerializedOutput = await ReadTextAsync(state, "Output", payloads, cancellationToken).ConfigureAwait(false),
            SerializedCustomStatus = await ReadTextAsync(state, "CustomStatus", payloads, cancellationToken).ConfigureAwait(false),
            FailureDetails = failure is null ? null : JsonSerializer.Deserialize<TaskFailureDetails>(failure),
        };
    }

    private static async Task<string?> ReadTextAsync(TableEntity entity, string name, LargePayloadStore payloads, CancellationToken cancellationToken)
    {
        if (entity.GetString(name + "Blob") is { Length: > 0 } blob)
        {
            return await payloads.DownloadAsync(blob, cancellationToken).ConfigureAwait(false);
        }

        return entity.GetBoolean(name + "Null") == true ? null : entity.GetString(name);
    }
}
