using System.Text.Json.Serialization;
using ChurnFlows.Durable;
using ChurnFlows.Durable.Client;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChurnFlows.Functions.Http.Durable;

/// <summary>The management API's commands: raise event, terminate, suspend, resume, purge.</summary>
public static partial class DurableManagementEndpoints
{
    private static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> RaiseEventAsync(string instanceId, string eventName, HttpRequest request, CancellationToken cancellationToken)
    {
        var input = new ManagementRequest(request);
        var body = await input.JsonBodyAsync(cancellationToken);
        if (input.HasErrors)
        {
            return input.Invalid();
        }

        return await SignalAsync(instanceId, request, (client, id) => client.RaiseEventAsync(id, eventName, body, cancellationToken), cancellationToken);
    }

    private static Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> TerminateAsync(string instanceId, string? reason, HttpRequest request, CancellationToken cancellationToken) =>
        SignalAsync(instanceId, request, (client, id) => client.TerminateInstanceAsync(id, reason, cancellationToken), cancellationToken);

    private static Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> SuspendAsync(string instanceId, string? reason, HttpRequest request, CancellationToken cancellationToken) =>
        SignalAsync(instanceId, request, (client, id) => client.SuspendInstanceAsync(id, reason, cancellationToken), cancellationToken);

    private static Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> ResumeAsync(string instanceId, string? reason, HttpRequest request, CancellationToken cancellationToken) =>
        SignalAsync(instanceId, request, (client, id) => client.ResumeInstanceAsync(id, reason, cancellationToken), cancellationToken);

    /// <summary>202 after sending; 404 for an unknown instance; 410 Gone for a finished one (as upstream).</summary>
    private static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> SignalAsync(string instanceId, HttpRequest request, Func<DurableTaskClient, string, Task> send, CancellationToken cancellationToken)
    {
        if (ManagementRequest.Client(request) is not { } client)
        {
            return ManagementRequest.EngineMissing();
        }

        var instance = await client.GetInstanceAsync(instanceId, cancellationToken);
        if (instance is null)
        {
            return ManagementRequest.NotFound(instanceId);
        }

        if (instance.IsCompleted || instance.RuntimeStatus == OrchestrationRuntimeStatus.Canceled)
        {
            return TypedResults.Problem($"Instance '{instanceId}' has already finished ({instance.RuntimeStatus}).", statusCode: StatusCodes.Status410Gone, title: "Instance finished");
        }

        await send(client, instanceId);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Results<Ok<PurgeHistoryResult>, ProblemHttpResult>> PurgeAsync(string instanceId, HttpRequest request, CancellationToken cancellationToken)
    {
        if (ManagementRequest.Client(request) is not { } client)
        {
            return ManagementRequest.EngineMissing();
        }

        var instance = await client.GetInstanceAsync(instanceId, cancellationToken);
        if (instance is null)
        {
            return ManagementRequest.NotFound(instanceId);
        }

        if (!instance.IsCompleted)
        {
            return TypedResults.Problem($"Instance '{instanceId}' is {instance.RuntimeStatus}; terminate it before purging.", statusCode: StatusCodes.Status409Conflict, title: "Instance still running");
        }

        return TypedResults.Ok(new PurgeHistoryResult(await client.PurgeInstanceAsync(instanceId, cancellationToken)));
    }

    private static async Task<Results<Ok<PurgeHistoryResult>, ValidationProblem, ProblemHttpResult>> PurgeManyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (ManagementRequest.Client(request) is not { } client)
        {
            return ManagementRequest.EngineMissing();
        }

        var input = new ManagementRequest(request);
        var query = Query(input, request);
        if (query.CreatedFrom is null && !input.HasErrors)
        {
            input.Error("createdTimeFrom", "bulk purge needs createdTimeFrom");
        }

        if (input.HasErrors)
        {
            return input.Invalid();
        }

        var purged = await client.PurgeAllInstancesAsync(query, cancellationToken);
        return purged == 0
            ? TypedResults.Problem("No finished instance matches the filter.", statusCode: StatusCodes.Status404NotFound, title: "Nothing to purge")
            : TypedResults.Ok(new PurgeHistoryResult(purged));
    }

    /// <summary>The purge answer.</summary>
    /// <param name="InstancesDeleted">How many instances were deleted.</param>
    public sealed record PurgeHistoryResult([property: JsonPropertyName("instancesDeleted")] int InstancesDeleted);
}
