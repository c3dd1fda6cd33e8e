using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChurnFlows.Functions.Hosting.FunctionsHost;

/// <summary>
/// The custom-handler side of timer, blob and queue functions: the Functions host POSTs each invocation
/// to <c>/{FunctionName}</c> and reads <c>{Outputs, Logs, ReturnValue}</c> back. A 2xx answer means
/// success; a failed handler answers 500, so the host retries queue and blob invocations. A malformed
/// payload gets 400 problem+json naming the field.
/// </summary>
public static class InvocationEndpoints
{
    /// <summary>The largest invocation body accepted: blob content arrives base64-encoded (4/3 of its size) inside it.</summary>
    public const long MaxInvocationBytes = 1L << 30;

    /// <summary>The header carrying the host's invocation id.</summary>
    public const string InvocationIdHeader = "X-Azure-Functions-InvocationId";

    /// <summary>Maps <c>POST /{FunctionName}</c> for every non-HTTP function of <paramref name="table"/>.</summary>
    public static IEndpointRouteBuilder MapInvocationEndpoints(this IEndpointRouteBuilder app, FunctionTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        foreach (var function in table.Functions.Where(f => f.Trigger is not HttpFunctionTrigger))
        {
            app.MapPost("/" + function.Name, (HttpRequest request, TriggerDispatcher dispatcher, CancellationToken cancellationToken) => InvokeAsync(function, request, dispatcher, cancellationToken))
                .ExcludeFromDescription()
                .WithMetadata(new FunctionAuthorization(AuthorizationLevel.Anonymous), new InvocationSizeLimit());
        }

        return app;
    }

    private static async Task<Results<Ok<InvocationResult>, ValidationProblem, JsonHttpResult<InvocationResult>>> InvokeAsync(FunctionDefinition function, HttpRequest request, TriggerDispatcher dispatcher, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            return Invalid("$", $"the invocation payload is not valid JSON: {e.Message}");
        }

        using (document)
        {
            var invocationId = request.Headers[InvocationIdHeader].FirstOrDefault() ?? Guid.NewGuid().ToString();
            var invocation = InvocationPayloadReader.Read(function, document.RootElement, invocationId, out var problem);
            if (invocation is null)
            {
                return Invalid(problem?.Field ?? "$", problem?.Message ?? "unreadable invocation payload");
            }

            try
            {
                await dispatcher.DispatchAsync(function, invocation, cancellationToken);
                return TypedResults.Ok(new InvocationResult(new Dictionary<string, object?>(), invocation.Logs, null));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var logs = invocation.Logs.Append($"{function.Name} failed: {e.GetType().Name}: {e.Message}").ToArray();
                return TypedResults.Json(new InvocationResult(new Dictionary<string, object?>(), logs, null), statusCode: StatusCodes.Status500InternalServerError);
            }
        }
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "Malformed invocation payload");
}

/// <summary>Raises Kestrel's 30 MB body limit for invocations, which carry whole blobs.</summary>
internal sealed class InvocationSizeLimit : Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize => InvocationEndpoints.MaxInvocationBytes;
}

/// <summary>The custom handler's answer to an invocation, in the host's shape.</summary>
/// <param name="Outputs">Output binding values by binding name (none: the app writes its outputs itself).</param>
/// <param name="Logs">Lines the host writes to the invocation's log.</param>
/// <param name="ReturnValue">The <c>$return</c> value (unused).</param>
public sealed record InvocationResult(
    [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue);
