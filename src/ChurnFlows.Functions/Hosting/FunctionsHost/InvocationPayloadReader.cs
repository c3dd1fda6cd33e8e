using System.Text.Json;

namespace ChurnFlows.Functions.Hosting.FunctionsHost;

/// <summary>
/// Reads the Functions host's invocation payload <c>{"Data": {...}, "Metadata": {...}}</c> into a
/// <see cref="TriggerInvocation"/>. The host JSON-encodes scalar values a second time (a string
/// <c>a</c> arrives as <c>"\"a\""</c>) and sends blob content as base64; both are decoded here.
/// </summary>
public static class InvocationPayloadReader
{
    /// <summary>Reads the payload; on bad input returns null and names the offending field in <paramref name="problem"/>.</summary>
    public static TriggerInvocation? Read(FunctionDefinition function, JsonElement payload, string invocationId, out (string Field, string Message)? problem)
    {
        ArgumentNullException.ThrowIfNull(function);
        problem = null;
        if (payload.ValueKind != JsonValueKind.Object || !payload.TryGetProperty("Data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            problem = ("Data", "the invocation payload must be an object with a 'Data' object");
            return null;
        }

        var metadata = payload.TryGetProperty("Metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        var binding = function.Trigger.BindingName;
        if (!data.TryGetProperty(binding, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            problem = ($"Data.{binding}", $"the '{binding}' trigger value is missing");
            return null;
        }

        return function.Trigger switch
        {
            TimerFunctionTrigger => ReadTimer(value, ref problem) is { } timer ? new TriggerInvocation(function.Name, invocationId) { Timer = timer } : null,
            BlobFunctionTrigger trigger => ReadBlob(trigger, value, metadata, ref problem) is { } blob ? new TriggerInvocation(function.Name, invocationId) { Blob = blob } : null,
            QueueFunctionTrigger trigger => new TriggerInvocation(function.Name, invocationId) { Queue = ReadQueue(trigger, value, metadata) },
            _ => null,
        };
    }

    /// <summary>Decodes a host value to text: a JSON-encoded string is unwrapped once; objects and numbers keep their JSON text.</summary>
    public static string? Text(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var text = value.GetString()!;
                try
                {
                    using var inner = JsonDocument.Parse(text);
                    return inner.RootElement.ValueKind == JsonValueKind.String ? inner.RootElement.GetString() : text;
                }
                catch (JsonException)
                {
                    return text;
                }

            case JsonValueKind.Null or JsonValueKind.Undefined:
                return null;
            default:
                return value.GetRawText();
        }
    }

    private static TimerInfo? ReadTimer(JsonElement value, ref (string, string)? problem)
    {
        using var decoded = value.ValueKind == JsonValueKind.String ? TryParse(Text(value)) : null;
        var timer = decoded?.RootElement ?? value;
        if (timer.ValueKind != JsonValueKind.Object)
        {
            problem = ("Data.timer", "expected the host's TimerInfo object");
            return null;
        }

        var status = Property(timer, "ScheduleStatus") is { ValueKind: JsonValueKind.Object } s ? s : default;
        return new TimerInfo(
            Property(timer, "IsPastDue") is { } past && Text(past) is { } p && bool.TryParse(p, out var isPastDue) && isPastDue,
            Time(Property(status, "Last")),
            Time(Property(status, "Next")));
    }

    private static BlobTriggerData? ReadBlob(BlobFunctionTrigger trigger, JsonElement value, JsonElement metadata, ref (string, string)? problem)
    {
        byte[] content;
        try
        {
            content = value.ValueKind == JsonValueKind.String ? Convert.FromBase64String(value.GetString()!) : throw new FormatException();
        }
        catch (FormatException)
        {
            problem = ("Data.blob", "expected the blob content as a base64 string");
            return null;
        }

        var uri = Text(Property(metadata, "Uri") ?? default) is { } u && Uri.TryCreate(u, UriKind.Absolute, out var parsed) ? parsed : null;
        var name = Text(Property(metadata, "name") ?? default);
        if (string.IsNullOrEmpty(name))
        {
            problem = ("Metadata.name", "the blob name (the {name} of the trigger path) is missing");
            return null;
        }

        var properties = Property(metadata, "Properties") is { ValueKind: JsonValueKind.Object } props ? props : default;
        var blobMetadata = Property(metadata, "Metadata") is { ValueKind: JsonValueKind.Object } md
            ? md.EnumerateObject().ToDictionary(p => p.Name, p => Text(p.Value) ?? string.Empty, StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        return new BlobTriggerData(trigger.Container, trigger.NamePrefix + name, new BinaryData(content))
        {
            ETag = Text(Property(properties, "ETag") ?? default)?.Trim('"'),
            Uri = uri,
            Metadata = blobMetadata,
        };
    }

    private static QueueTriggerData ReadQueue(QueueFunctionTrigger trigger, JsonElement value, JsonElement metadata) =>
        new(trigger.QueueName, Text(Property(metadata, "Id") ?? default) ?? string.Empty, Text(value) ?? string.Empty,
            long.TryParse(Text(Property(metadata, "DequeueCount") ?? default), out var count) ? count : 1)
        {
            InsertedOn = Time(Property(metadata, "InsertionTime")),
        };

    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var p in element.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return p.Value;
            }
        }

        return null;
    }

    private static DateTimeOffset? Time(JsonElement? value) =>
        value is { } v && Text(v) is { } text && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    private static JsonDocument? TryParse(string? text)
    {
        try
        {
            return text is null ? null : JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
