using System.Globalization;
using System.Text.Json;
using ChurnFlows.Durable.Client;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChurnFlows.Functions.Http.Durable;

/// <summary>Reads management-API input (query flags, dates, JSON bodies) and collects every bad field for one 400 answer.</summary>
internal sealed class ManagementRequest(HttpRequest request)
{
    private const long MaxBodyBytes = 4 * 1024 * 1024;
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public bool HasErrors => _errors.Count > 0;

    public static ProblemHttpResult EngineMissing() =>
        TypedResults.Problem("No durable task client is registered in this app.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Durable engine not configured");

    public static DurableTaskClient? Client(HttpRequest request) => request.HttpContext.RequestServices.GetService<DurableTaskClient>();

    public static ProblemHttpResult NotFound(string instanceId) =>
        TypedResults.Problem($"No orchestration instance '{instanceId}' exists.", statusCode: StatusCodes.Status404NotFound, title: "Instance not found");

    public ValidationProblem Invalid() => TypedResults.ValidationProblem(_errors, title: "The request has invalid fields");

    public void Error(string field, string message) => _errors[field] = [message];

    public bool Flag(string name, bool defaultValue)
    {
        var text = request.Query[name].FirstOrDefault();
        if (string.IsNullOrEmpty(text))
        {
            return defaultValue;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Error(name, $"'{text}' is not true or false");
        return defaultValue;
    }

    public DateTimeOffset? Time(string name)
    {
        var text = request.Query[name].FirstOrDefault();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }

        Error(name, $"'{text}' is not an ISO-8601 date and time");
        return null;
    }

    public int Integer(string name, int defaultValue, int min, int max)
    {
        var text = request.Query[name].FirstOrDefault();
        if (string.IsNullOrEmpty(text))
        {
            return defaultValue;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Error(name, $"'{text}' is not a whole number from {min} to {max}");
        return defaultValue;
    }

    /// <summary>Reads an optional JSON body: no body is null; a body needs a JSON content type and valid JSON.</summary>
    public async Task<JsonElement?> JsonBodyAsync(CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                Error("body", $"the body exceeds {MaxBodyBytes} bytes");
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return null;
        }

        var type = request.ContentType ?? string.Empty;
        if (!type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) && !type.Contains("+json", StringComparison.OrdinalIgnoreCase) && !type.StartsWith("text/json", StringComparison.OrdinalIgnoreCase))
        {
            Error("Content-Type", $"a body must be JSON sent as application/json, not '{type}'");
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray());
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            Error("body", $"the body is not valid JSON: {e.Message}");
            return null;
        }
    }

    public static bool IsValidInstanceId(string id) =>
        id.Length is > 0 and <= 256 && id.AsSpan().IndexOfAny("/\\#?") < 0 && !id.Any(char.IsControl);
}
