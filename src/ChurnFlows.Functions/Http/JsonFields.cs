using System.Text.Json;
using ChurnFlows.Lifecycle.Serving;

namespace ChurnFlows.Functions.Http;

/// <summary>Reads optional fields of a JSON object, naming each field whose value has the wrong type.</summary>
internal static class JsonFields
{
    /// <summary>An optional string (null when absent or null).</summary>
    public static string? String(JsonElement obj, string name, List<FieldError> errors, string prefix = "")
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            errors.Add(new FieldError(prefix + name, $"must be a string (got {v.ValueKind.ToString().ToLowerInvariant()})"));
            return null;
        }

        return v.GetString();
    }

    /// <summary>An optional boolean (null when absent or null).</summary>
    public static bool? Boolean(JsonElement obj, string name, List<FieldError> errors, string prefix = "")
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors.Add(new FieldError(prefix + name, $"must be true or false (got {v.ValueKind.ToString().ToLowerInvariant()})"));
            return null;
        }

        return v.GetBoolean();
    }

    /// <summary>The body as an object; an empty body counts as <c>{}</c>.</summary>
    public static JsonElement? Object(JsonDocument? body, List<FieldError> errors)
    {
        if (body is null)
        {
            return null;
        }

        if (body.RootElement.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError("$", "expected a JSON object"));
            return null;
        }

        return body.RootElement;
    }
}
