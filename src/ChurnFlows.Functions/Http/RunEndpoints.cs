using ChurnFlows.Lifecycle;
using ChurnFlows.Lifecycle.Orchestration;
using ChurnFlows.Lifecycle.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChurnFlows.Functions.Http;

/// <summary>
/// Lifecycle runs over HTTP: <c>POST /api/retrain</c> (refused with 409 while one runs),
/// <c>GET /api/runs</c>, <c>GET /api/runs/{id}</c>, <c>POST /api/runs/{id}/approve|reject</c> for a
/// retrain awaiting approval, and <c>POST /api/drift/check</c>.
/// </summary>
public static class RunEndpoints
{
    private const long MaxBodyBytes = 16 * 1024;

    /// <summary>Maps the run routes.</summary>
    public static IEndpointRouteBuilder MapRunEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/retrain", RetrainAsync);
        app.MapGet("/api/runs", async (LifecycleServices lifecycle, CancellationToken ct) => TypedResults.Ok(await lifecycle.Runs.ListAsync(50, ct)));
        app.MapGet("/api/runs/{id}", GetAsync);
        app.MapPost("/api/runs/{id}/approve", (string id, HttpRequest request, LifecycleServices lifecycle, CancellationToken ct) => DecideAsync(id, true, request, lifecycle, ct));
        app.MapPost("/api/runs/{id}/reject", (string id, HttpRequest request, LifecycleServices lifecycle, CancellationToken ct) => DecideAsync(id, false, request, lifecycle, ct));
        app.MapPost("/api/drift/check", async (LifecycleServices lifecycle, CancellationToken ct) =>
            TypedResults.Accepted((string?)null, new { instance_id = await lifecycle.Client.ScheduleNewOrchestrationInstanceAsync(nameof(DriftMonitorOrchestrator), cancellation: ct) }));
        return app;
    }

    private static async Task<Results<Accepted<StartRetrainResult>, ProblemHttpResult, ValidationProblem>> RetrainAsync(HttpRequest request, LifecycleServices lifecycle, CancellationToken cancellationToken)
    {
        var (body, errors, problem) = await JsonFields.ReadOptionalObjectAsync(request, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var reason = JsonFields.String(body, "reason", errors);
        var dataset = JsonFields.String(body, "dataset_sha256", errors);
        var approval = JsonFields.Boolean(body, "require_approval", errors);
        JsonFields.RejectUnknown(body, errors, "reason", "dataset_sha256", "require_approval");
        if (errors.Count > 0)
        {
            return HttpProblems.Invalid(errors);
        }

        var result = await lifecycle.StartRetrainAsync(new StartRetrainRequest("HTTP: " + (reason ?? "requested"), dataset, approval), cancellationToken);
        if (result.Started)
        {
            return TypedResults.Accepted($"/api/runs/{result.RunId}", result);
        }

        return HttpProblems.Problem(StatusCodes.Status409Conflict, result.RunId is null ? "Nothing to train on" : "A retrain is already running", result.Message);
    }

    private static async Task<Results<Ok<RunDetail>, ProblemHttpResult>> GetAsync(string id, LifecycleServices lifecycle, CancellationToken cancellationToken)
    {
        var summary = await lifecycle.Runs.GetAsync(id, cancellationToken);
        return summary is null ? UnknownRun(id) : TypedResults.Ok(new RunDetail(summary, await lifecycle.Runs.GetStepsAsync(id, cancellationToken)));
    }

    private static async Task<Results<Accepted, ProblemHttpResult, ValidationProblem>> DecideAsync(string id, bool approve, HttpRequest request, LifecycleServices lifecycle, CancellationToken cancellationToken)
    {
        var (body, errors, problem) = await JsonFields.ReadOptionalObjectAsync(request, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var by = JsonFields.String(body, "by", errors);
        var comment = JsonFields.String(body, "comment", errors);
        JsonFields.RejectUnknown(body, errors, "by", "comment");
        if (errors.Count > 0)
        {
            return HttpProblems.Invalid(errors);
        }

        var summary = await lifecycle.Runs.GetAsync(id, cancellationToken);
        if (summary is null)
        {
            return UnknownRun(id);
        }

        var running = await lifecycle.Client.GetInstanceAsync(LifecycleServices.RetrainInstanceId, cancellationToken);
        if (summary.Status != "awaiting-approval" || running is not { IsRunning: true } || running.ReadInputAs<RetrainRequest>()?.RunId != id)
        {
            return HttpProblems.Problem(StatusCodes.Status409Conflict, "Run is not awaiting approval", $"Run '{id}' is {summary.Status} (last step: {summary.LastStep}); only a retrain awaiting approval can be approved or rejected.");
        }

        await lifecycle.Client.RaiseEventAsync(LifecycleServices.RetrainInstanceId, RetrainOrchestrator.ApprovalEvent, new ApprovalDecision(approve, by, comment), cancellationToken);
        return TypedResults.Accepted($"/api/runs/{id}");
    }

    /// <summary>A run with its steps.</summary>
    /// <param name="Run">The summary.</param>
    /// <param name="Steps">The steps in order.</param>
    public sealed record RunDetail(RunSummary Run, IReadOnlyList<RunStep> Steps);

    private static ProblemHttpResult UnknownRun(string id) => HttpProblems.Problem(StatusCodes.Status404NotFound, "Unknown run", $"No run '{id}' exists.");
}
