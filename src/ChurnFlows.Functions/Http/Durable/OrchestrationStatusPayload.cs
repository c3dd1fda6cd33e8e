using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ChurnFlows.Durable;
using ChurnFlows.Durable.Client;
using ChurnFlows.Durable.History;

namespace ChurnFlows.Functions.Http.Durable;

/// <summary>An instance's status in Durable Functions' shape (times to the second, <c>historyEvents</c> only when asked for).</summary>
/// <param name="Name">The orchestrator name.</param>
/// <param name="InstanceId">The instance id.</param>
/// <param name="RuntimeStatus">The runtime status name.</param>
/// <param name="Input">The input, when shown.</param>
/// <param name="CustomStatus">The custom status.</param>
/// <param name="Output">The output; the error message when failed; the reason when terminated.</param>
/// <param name="CreatedTime">When it was created (UTC, <c>yyyy-MM-ddTHH:mm:ssZ</c>).</param>
/// <param name="LastUpdatedTime">When it last changed.</param>
public sealed record OrchestrationStatusPayload(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("instanceId")] string InstanceId,
    [property: JsonPropertyName("runtimeStatus")] string RuntimeStatus,
    [property: JsonPropertyName("input")] JsonNode? Input,
    [property: JsonPropertyName("customStatus")] JsonNode? CustomStatus,
    [property: JsonPropertyName("output")] JsonNode? Output,
    [property: JsonPropertyName("createdTime")] string CreatedTime,
    [property: JsonPropertyName("lastUpdatedTime")] string LastUpdatedTime)
{
    /// <summary>Gets the history of the current execution, when asked for with <c>showHistory=true</c>.</summary>
    [JsonPropertyName("historyEvents")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonArray? HistoryEvents { get; init; }

    /// <summary>Builds the payload of <paramref name="instance"/>.</summary>
    public static OrchestrationStatusPayload From(OrchestrationMetadata instance, bool showInput)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var output = instance.RuntimeStatus == OrchestrationRuntimeStatus.Failed && instance.FailureDetails is { } failure
            ? JsonValue.Create(failure.ErrorMessage)
            : Parse(instance.SerializedOutput);
        return new OrchestrationStatusPayload(
            instance.Name,
            instance.InstanceId,
            instance.RuntimeStatus.ToString(),
            showInput ? Parse(instance.SerializedInput) : null,
            Parse(instance.SerializedCustomStatus),
            output,
            Time(instance.CreatedAt.UtcDateTime),
            Time(instance.LastUpdatedAt.UtcDateTime));
    }

    /// <summary>
    /// Converts history as Durable Functions shows it: orchestrator episode markers and scheduling events
    /// are left out, and completions carry the function name and scheduled time of the task they finish.
    /// Results and inputs appear only when <paramref name="showOutput"/> is true.
    /// </summary>
    public static JsonArray ConvertHistory(IReadOnlyList<HistoryEvent> history, bool showOutput)
    {
        ArgumentNullException.ThrowIfNull(history);
        var scheduled = new Dictionary<int, (string Name, DateTime At)>();
        foreach (var e in history)
        {
            if (e is TaskScheduledEvent t)
            {
                scheduled[t.EventId] = (t.Name, t.Timestamp);
            }
            else if (e is SubOrchestrationInstanceCreatedEvent s)
            {
                scheduled[s.EventId] = (s.Name, s.Timestamp);
            }
        }

        var events = new JsonArray();
        foreach (var e in history)
        {
            var fields = Fields(e, scheduled, showOutput);
            if (fields is null)
            {
                continue;
            }

            var node = new JsonObject { ["EventType"] = e.GetType().Name[..^"Event".Length] };
            foreach (var (key, value) in fields)
            {
                if (value is not null)
                {
                    node[key] = value;
                }
            }

            node["Timestamp"] = e.Timestamp.ToString("o", CultureInfo.InvariantCulture);
            events.Add(node);
        }

        return events;
    }

    private static (string, JsonNode?)[]? Fields(HistoryEvent e, Dictionary<int, (string Name, DateTime At)> scheduled, bool showOutput)
    {
        JsonNode? Out(string? serialized) => showOutput ? Parse(serialized) : null;
        (string, JsonNode?)[] Task(int id, params (string, JsonNode?)[] more) =>
            scheduled.TryGetValue(id, out var s)
                ? [("FunctionName", JsonValue.Create(s.Name)), .. more, ("ScheduledTime", JsonValue.Create(s.At.ToString("o", CultureInfo.InvariantCulture)))]
                : more;
        return e switch
        {
            ExecutionStartedEvent s => [("FunctionName", JsonValue.Create(s.Name)), ("Input", Out(s.Input))],
            ExecutionCompletedEvent c => [("OrchestrationStatus", JsonValue.Create(c.Status.ToString())), ("Result", Out(c.Result)), ("FailureDetails", c.FailureDetails is { } f ? JsonValue.Create(f.ToString()) : null)],
            ExecutionTerminatedEvent t => [("Input", Out(t.Reason))],
            ExecutionSuspendedEvent s => [("Reason", JsonValue.Create(s.Reason))],
            ExecutionResumedEvent r => [("Reason", JsonValue.Create(r.Reason))],
            ContinueAsNewEvent n => [("Input", Out(n.Input))],
            TaskCompletedEvent c => Task(c.TaskScheduledId, ("Result", Out(c.Result))),
            TaskFailedEvent f => Task(f.TaskScheduledId, ("Reason", JsonValue.Create(f.FailureDetails.ErrorMessage)), ("Details", JsonValue.Create(f.FailureDetails.ErrorType))),
            SubOrchestrationInstanceCompletedEvent c => Task(c.TaskScheduledId, ("Result", Out(c.Result))),
            SubOrchestrationInstanceFailedEvent f => Task(f.TaskScheduledId, ("Reason", JsonValue.Create(f.FailureDetails.ErrorMessage))),
            TimerCreatedEvent t => [("FireAt", JsonValue.Create(t.FireAt.ToString("o", CultureInfo.InvariantCulture)))],
            TimerFiredEvent t => [("FireAt", JsonValue.Create(t.FireAt.ToString("o", CultureInfo.InvariantCulture)))],
            EventRaisedEvent r => [("Name", JsonValue.Create(r.Name)), ("Input", Out(r.Input))],
            EventSentEvent s => [("Name", JsonValue.Create(s.Name)), ("InstanceId", JsonValue.Create(s.InstanceId))],
            _ => null,
        };
    }

    private static string Time(DateTime utc) => utc.ToString("s", CultureInfo.InvariantCulture) + "Z";

    private static JsonNode? Parse(string? serialized)
    {
        if (serialized is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(serialized);
        }
        catch (JsonException)
        {
            return JsonValue.Create(serialized);
        }
    }
}
