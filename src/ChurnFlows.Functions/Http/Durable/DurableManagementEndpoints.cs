using ChurnFlows.Durable;
using ChurnFlows.Durable.Client;
using ChurnFlows.Durable.Worker;
using ChurnFlows.Functions.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChurnFlows.Functions.Http.Durable;

/// <summary>
/// Durable Functions' HTTP management API over the app's <see cref="DurableTaskClient"/>, with its shapes
/// and status codes, as admin-level functions under <c>/api/durabletask/</c> (both modes) and mirrored
/// under <c>/runtime/webhooks/durabletask/</c> (standalone; under the host that path is the host's).
/// </summary>
public static partial class DurableManagementEndpoints
{
    private const string Prefix = "durabletask/";

    /// <summary>Adds the management functions to <paramref name="table"/>.</summary>
    public static FunctionTable AddDurableManagementFunctions(this FunctionTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        const AuthorizationLevel admin = AuthorizationLevel.Admin;
        return table
            .AddHttp("DurableStartOrchestration", "POST", Prefix + "orchestrators/{name}/{instanceId?}", StartAsync, admin, Described(409))
            .AddHttp("DurableListInstances", "GET", Prefix + "instances", ListAsync, admin, Described())
            .AddHttp("DurableGetInstance", "GET", Prefix + "instances/{instanceId}", GetStatusAsync, admin, Described(404))
            .AddHttp("DurableRaiseEvent", "POST", Prefix + "instances/{instanceId}/raiseEvent/{eventName}", RaiseEventAsync, admin, Described(404, 410))
            .AddHttp("DurableTerminateInstance", "POST", Prefix + "instances/{instanceId}/terminate", TerminateAsync, admin, Described(404, 410))
            .AddHttp("DurableSuspendInstance", "POST", Prefix + "instances/{instanceId}/suspend", SuspendAsync, admin, Described(404, 410))
            .AddHttp("DurableResumeInstance", "POST", Prefix + "instances/{instanceId}/resume", ResumeAsync, admin, Described(404, 410))
            .AddHttp("DurablePurgeInstance", "DELETE", Prefix + "instances/{instanceId}", PurgeAsync, admin, Described(404, 409))
            .AddHttp("DurablePurgeInstances", "DELETE", Prefix + "instances", PurgeManyAsync, admin, Described(404));
    }

    /// <summary>Tags a route and lists its problem answers for OpenAPI: 401 (key), 503 (no engine) and <paramref name="problems"/>.</summary>
    private static Action<RouteHandlerBuilder> Described(params int[] problems) => endpoint =>
    {
        endpoint.WithTags("Durable management").ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        foreach (var status in problems)
        {
            endpoint.ProducesProblem(status);
        }
    };

    /// <summary>Maps the management functions of <paramref name="table"/> again under <c>/runtime/webhooks/</c>.</summary>
    public static IEndpointRouteBuilder MapDurableRuntimeWebhooks(this IEndpointRouteBuilder app, FunctionTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        foreach (var function in table.Functions)
        {
            if (function is { Trigger: HttpFunctionTrigger http, HttpHandler: { } handler } && http.Route.StartsWith(Prefix, StringComparison.Ordinal))
            {
                var endpoint = app.MapMethods("/runtime/webhooks/" + http.Route, http.Methods, handler)
                    .WithMetadata(new FunctionAuthorization(http.AuthorizationLevel));
                function.ConfigureEndpoint?.Invoke(endpoint);
                endpoint.ExcludeFromDescription();
            }
        }

        return app;
    }

    /// <summary>Starts an instance: 202 with the check-status payload; with <c>timeout</c> (seconds), 200 with the status when it finishes in time.</summary>
    private static async Task<Results<Accepted<HttpManagementPayload>, Ok<OrchestrationStatusPayload>, ValidationProblem, ProblemHttpResult>> StartAsync(string name, string? instanceId, HttpRequest request, CancellationToken cancellationToken)
    {
        if (ManagementRequest.Client(request) is not { } client)
        {
            return ManagementRequest.EngineMissing();
        }

        var input = new ManagementRequest(request);
        if (request.HttpContext.RequestServices.GetService<DurableTaskRegistry>() is { } registry && registry.CreateOrchestrator(name) is null)
        {
            input.Error("name", $"no orchestrator named '{name}' is registered");
        }

        if (instanceId is not null && !ManagementRequest.IsValidInstanceId(instanceId))
        {
            input.Error("instanceId", "an instance id has 1 to 256 characters and no '/', '\\', '#', '?' or control characters");
        }

        var timeout = TimeSpan.FromSeconds(input.Integer("timeout", 0, 0, 300));
        var pollingInterval = TimeSpan.FromSeconds(input.Integer("pollingInterval", 1, 1, 60));
        var body = await input.JsonBodyAsync(cancellationToken);
        if (input.HasErrors)
        {
            return input.Invalid();
        }

        try
        {
            var id = await client.ScheduleNewOrchestrationInstanceAsync(name, body, new StartOrchestrationOptions(instanceId), cancellationToken);
            var deadline = DateTimeOffset.UtcNow + timeout;
            while (timeout > TimeSpan.Zero)
            {
                if (await client.GetInstanceAsync(id, cancellationToken) is { IsCompleted: true } finished)
                {
                    return TypedResults.Ok(OrchestrationStatusPayload.From(finished, showInput: true));
                }

                var left = deadline - DateTimeOffset.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    break;
                }

                await Task.Delay(left < pollingInterval ? left : pollingInterval, cancellationToken);
            }

            return DurableHttpApi.CreateCheckStatusResponse(request, id);
        }
        catch (OrchestrationAlreadyExistsException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "Instance already exists");
        }
    }

    private static async Task<Results<Ok<OrchestrationStatusPayload>, Accepted<OrchestrationStatusPayload>, JsonHttpResult<OrchestrationStatusPayload>, ValidationProblem, ProblemHttpResult>> GetStatusAsync(string instanceId, HttpRequest request, CancellationToken cancellationToken)
    {
        if (ManagementRequest.Client(request) is not { } client)
        {
            return ManagementRequest.EngineMissing();
        }

        var input = new ManagementRequest(request);
        var showInput = input.Flag("showInput", true);
        var showHistory = input.Flag("showHistory", false);
        var showHistoryOutput = input.Flag("showHistoryOutput", false);
        var failureIs500 = input.Flag("returnInternalServerErrorOnFailure", false);
        if (input.HasErrors)
        {
            return input.Invalid();
        }

        if (await client.GetInstanceAsync(instanceId, cancellationToken) is not { } instance)
        {
            return ManagementRequest.NotFound(instanceId);
        }

        var payload = OrchestrationStatusPayload.From(instance, showInput);
        if (showHistory)
        {
            payload = payload with { HistoryEvents = OrchestrationStatusPayload.ConvertHistory(await client.GetOrchestrationHistoryAsync(instanceId, cancellationToken), showHistoryOutput) };
        }

        switch (instance.RuntimeStatus)
        {
            case OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.ContinuedAsNew or OrchestrationRuntimeStatus.Suspended:
                request.HttpContext.Response.Headers.RetryAfter = "5";
                return TypedResults.Accepted(DurableHttpApi.PublicUrl(request), payload);
            case OrchestrationRuntimeStatus.Failed when failureIs500:
                return TypedResults.Json(payload, statusCode: StatusCodes.Status500InternalServerError);
            default:
                return TypedResults.Ok(payload);
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<OrchestrationStatusPayload>>, ValidationProblem, ProblemHttpResult>> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (ManagementRequest.Client(request) is not { } client)
        {
            return ManagementRequest.EngineMissing();
        }

        var input = new ManagementRequest(request);
        var query = Query(input, request);
        var showInput = input.Flag("showInput", false);
        if (input.HasErrors)
        {
            return input.Invalid();
        }

        var list = new List<OrchestrationStatusPayload>();
        await foreach (var instance in client.GetAllInstancesAsync(query, cancellationToken))
        {
            list.Add(OrchestrationStatusPayload.From(instance, showInput));
        }

        return TypedResults.Ok<IReadOnlyList<OrchestrationStatusPayload>>(list);
    }

    private static OrchestrationQuery Query(ManagementRequest input, HttpRequest request)
    {
        var statuses = new List<OrchestrationRuntimeStatus>();
        foreach (var text in request.Query["runtimeStatus"].SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (Enum.TryParse<OrchestrationRuntimeStatus>(text, ignoreCase: true, out var status) && !int.TryParse(text, out _))
            {
                statuses.Add(status);
            }
            else
            {
                input.Error("runtimeStatus", $"'{text}' is not one of {string.Join(", ", Enum.GetNames<OrchestrationRuntimeStatus>())}");
            }
        }

        return new OrchestrationQuery
        {
            Statuses = statuses.Count > 0 ? statuses : null,
            CreatedFrom = input.Time("createdTimeFrom"),
            CreatedTo = input.Time("createdTimeTo"),
            InstanceIdPrefix = request.Query["instanceIdPrefix"].FirstOrDefault() is { Length: > 0 } prefix ? prefix : null,
            PageSize = input.Integer("top", 100, 1, 1000),
        };
    }
}
