using System.Text.Json;
using System.Text.Json.Serialization;
using ChurnFlows.Durable.History;
using ChurnFlows.Durable.Hub;

namespace ChurnFlows.Durable.AzureStorage;

/// <summary>
/// The body of a hub queue message: one or more events for one instance, a reference to a blob
/// holding that body when it exceeds the queue's size limit, or (activities handed over locally)
/// several such bodies for different instances.
/// </summary>
internal sealed record QueueEnvelope
{
    [JsonPropertyName("i")]
    public string? InstanceId { get; init; }

    [JsonPropertyName("e")]
    public IReadOnlyList<HistoryEvent>? Events { get; init; }

    [JsonPropertyName("b")]
    public string? Blob { get; init; }

    [JsonPropertyName("w")]
    public IReadOnlyList<QueueEnvelope>? Items { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this);

    public static QueueEnvelope FromJson(string json) =>
        JsonSerializer.Deserialize<QueueEnvelope>(json) ?? throw new JsonException("Empty queue message.");
}

/// <summary>Encodes envelopes for the queue, moving large ones to blobs, and decodes them back.</summary>
internal sealed class QueueEnvelopeCodec(LargePayloadStore payloads)
{
    public async Task<string> EncodeAsync(string instanceId, IReadOnlyList<HistoryEvent> events, CancellationToken cancellationToken)
    {
        var json = new QueueEnvelope { InstanceId = instanceId, Events = events }.ToJson();
        if (!payloads.IsLarge(json))
        {
            return json;
        }

        var blob = await payloads.UploadAsync(instanceId, "message", json, cancellationToken).ConfigureAwait(false);
        return new QueueEnvelope { InstanceId = instanceId, Blob = blob }.ToJson();
    }

    /// <summary>Encodes small messages for several instances into one body (never moved to a blob: callers keep it small).</summary>
    public static string EncodeMany(IReadOnlyList<TaskMessage> messages) =>
        new QueueEnvelope { Items = [.. messages.Select(m => new QueueEnvelope { InstanceId = m.InstanceId, Events = [m.Event] })] }.ToJson();

    /// <summary>The size of a message's body on its own, to decide whether it may share a body with others.</summary>
    public static int SizeOf(TaskMessage message) => new QueueEnvelope { InstanceId = message.InstanceId, Events = [message.Event] }.ToJson().Length;

    public async Task<IReadOnlyList<TaskMessage>> DecodeAsync(string body, CancellationToken cancellationToken)
    {
        var envelope = QueueEnvelope.FromJson(body);
        if (envelope.Blob is not null)
        {
            envelope = QueueEnvelope.FromJson(await payloads.DownloadAsync(envelope.Blob, cancellationToken).ConfigureAwait(false));
        }

        if (envelope.Items is { } items)
        {
            return [.. items.SelectMany(Messages)];
        }

        return Messages(envelope);
    }

    private static IReadOnlyList<TaskMessage> Messages(QueueEnvelope envelope)
    {
        var id = envelope.InstanceId ?? throw new JsonException("Queue message names no instance.");
        return [.. (envelope.Events ?? []).Select(e => new TaskMessage(id, e))];
    }

    /// <summary>Reads the instance id without fetching a blob (for poison handling).</summary>
    public static string? PeekInstanceId(string body)
    {
        try
        {
            return QueueEnvelope.FromJson(body).InstanceId;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
