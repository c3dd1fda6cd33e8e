using System.Text.Json;
using ChurnFlows.Lifecycle.Serving;

namespace ChurnFlows.Functions.Http;

/// <summary>Reads optional fields of a JSON object, naming each field whose value has the wrong type.</summary>
internal static class JsonFields
{
    /// <summary>An optional string (null when absent or null).</summary>
    public static string? String(JsonElement? obj, string name, List<FieldError> errors, string prefix = "")
    {
        if (obj is not { } o || !o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
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
    public static bool? Boolean(JsonElement? obj, string name, List<FieldError> errors, string prefix = "")
    {
        if (obj is not { } o || !o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
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

    /// <summary>
    /// Names each property of <paramref name="obj"/> that is not one of <paramref name="known"/>: a command's
    /// body is small and exact, so a misspelt option (<c>require_aproval</c>) is refused instead of ignored.
    /// </summary>
    public static void RejectUnknown(JsonElement? obj, List<FieldError> errors, params string[] known)
    {
        if (obj is not { } o)
        {
            return;
        }

        foreach (var property in o.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                errors.Add(new FieldError(property.Name, $"is not a field of this request (it takes {string.Join(", ", known)})"));
            }
        }
    }

    /// <summary>
    /// Reads an optional JSON object body of at most <paramref name="limit"/> bytes: null when there is no
    /// body, a problem for an oversized or malformed one, and an error when it is not an object.
    /// </summary>
    public static async Task<(JsonElement? Body, List<FieldError> Errors, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Problem)> ReadOptionalObjectAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (request.ContentLength is null or 0 && request.Headers.TransferEncoding.Count == 0)
        {
            return (null, errors, null);
        }

        var (body, problem) = await HttpProblems.ReadJsonAsync(request, limit, cancellationToken);
        using (body)
        {
            if (body is null)
            {
                return (null, errors, problem);
            }

            if (body.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new FieldError("$", "expected a JSON object"));
                return (null, errors, null);
            }

            return (body.RootElement.Clone(), errors, null);
        }
    }
}
