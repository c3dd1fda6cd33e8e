using ChurnFlows.Lifecycle;
using ChurnFlows.Lifecycle.Registry;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChurnFlows.Functions.Http;

/// <summary>
/// The model registry over HTTP: <c>GET /api/models</c> (versions, stages, metrics, stage history),
/// <c>POST /api/models/{version}/promote</c>, <c>POST /api/models/rollback</c> and
/// <c>POST /api/models/{version}/stage</c> (into or out of Staging, which serves the canary share).
/// </summary>
public static class ModelEndpoints
{
    private const long MaxBodyBytes = 16 * 1024;

    /// <summary>Maps the registry routes.</summary>
    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/models", ListAsync);
        app.MapPost("/api/models/rollback", RollbackAsync);
        app.MapPost("/api/models/{version}/promote", PromoteAsync);
        app.MapPost("/api/models/{version}/stage", StageAsync)
            .WithSummary("Move a model version into or out of Staging")
            .WithDescription("Body (optional): {\"stage\": \"Staging\" (default) | \"None\" | \"Archived\", \"reason\": \"…\"}. The newest Staging version answers the canary share (ChurnFlows:Serving:CanaryPercent). Production versions are moved by promote and rollback.");
        return app;
    }

    private static async Task<Ok<ModelList>> ListAsync(LifecycleServices lifecycle, CancellationToken cancellationToken)
    {
        var models = await lifecycle.Registry.ListAsync(cancellationToken);
        var history = await lifecycle.Registry.GetHistoryAsync(cancellationToken);
        var staging = models.FirstOrDefault(m => m.Stage == ModelStage.Staging)?.Version;
        return TypedResults.Ok(new ModelList(models.FirstOrDefault(m => m.Stage == ModelStage.Production)?.Version, staging, models, history));
    }

    private static async Task<Results<Ok<StageChange>, ProblemHttpResult>> PromoteAsync(string version, LifecycleServices lifecycle, CancellationToken cancellationToken)
    {
        try
        {
            var replaced = await lifecycle.Registry.PromoteAsync(version, "promoted through the API", cancellationToken);
            return TypedResults.Ok(new StageChange(version, replaced, "promoted through the API", lifecycle.Time.GetUtcNow()));
        }
        catch (KeyNotFoundException e)
        {
            return HttpProblems.Problem(StatusCodes.Status404NotFound, "Unknown model version", e.Message);
        }
    }

    private static async Task<Results<Ok<StageChange>, ProblemHttpResult>> RollbackAsync(LifecycleServices lifecycle, CancellationToken cancellationToken)
    {
        try
        {
            var current = (await lifecycle.Registry.GetProductionAsync(cancellationToken))?.Version;
            var restored = await lifecycle.Registry.RollbackAsync("requested through the API", cancellationToken);
            return TypedResults.Ok(new StageChange(restored, current, "rollback requested through the API", lifecycle.Time.GetUtcNow()));
        }
        catch (InvalidOperationException e)
        {
            return HttpProblems.Problem(StatusCodes.Status409Conflict, "Nothing to roll back to", e.Message);
        }
    }

    private static async Task<Results<Ok<StageChange>, ProblemHttpResult, ValidationProblem>> StageAsync(string version, HttpRequest request, LifecycleServices lifecycle, CancellationToken cancellationToken)
    {
        var (body, errors, problem) = await JsonFields.ReadOptionalObjectAsync(request, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var stageName = JsonFields.String(body, "stage", errors) ?? nameof(ModelStage.Staging);
        var reason = JsonFields.String(body, "reason", errors) ?? "requested through the API";
        JsonFields.RejectUnknown(body, errors, "stage", "reason");
        var stage = Enum.GetValues<ModelStage>().FirstOrDefault(s => s != ModelStage.Production && string.Equals(s.ToString(), stageName, StringComparison.OrdinalIgnoreCase), ModelStage.Production);
        if (errors.Count == 0 && stage == ModelStage.Production)
        {
            errors.Add(new("stage", $"must be Staging, None or Archived (got '{stageName}'); POST /api/models/{{version}}/promote makes a version Production"));
        }

        if (errors.Count > 0)
        {
            return HttpProblems.Invalid(errors);
        }

        try
        {
            return TypedResults.Ok(await lifecycle.Registry.SetStageAsync(version, stage, reason, cancellationToken));
        }
        catch (KeyNotFoundException e)
        {
            return HttpProblems.Problem(StatusCodes.Status404NotFound, "Unknown model version", e.Message);
        }
        catch (InvalidOperationException e)
        {
            return HttpProblems.Problem(StatusCodes.Status409Conflict, "Model version is in Production", e.Message);
        }
    }

    /// <summary>The registry's content.</summary>
    /// <param name="Production">The Production version, if any.</param>
    /// <param name="Staging">The newest Staging version (the one a canary share is served by), if any.</param>
    /// <param name="Models">Every version, newest first.</param>
    /// <param name="History">Stage changes (promotions, rollbacks, moves into and out of Staging), newest first.</param>
    public sealed record ModelList(string? Production, string? Staging, IReadOnlyList<ModelRecord> Models, IReadOnlyList<StageChange> History);
}
