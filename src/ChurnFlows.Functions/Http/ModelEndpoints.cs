using ChurnFlows.Lifecycle;
using ChurnFlows.Lifecycle.Registry;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChurnFlows.Functions.Http;

/// <summary>
/// The model registry over HTTP: <c>GET /api/models</c> (versions, stages, metrics, promotion history),
/// <c>POST /api/models/{version}/promote</c> and <c>POST /api/models/rollback</c>.
/// </summary>
public static class ModelEndpoints
{
    /// <summary>Maps the registry routes.</summary>
    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/models", ListAsync);
        app.MapPost("/api/models/rollback", RollbackAsync);
        app.MapPost("/api/models/{version}/promote", PromoteAsync);
        return app;
    }

    private static async Task<Ok<ModelList>> ListAsync(LifecycleServices lifecycle, CancellationToken cancellationToken)
    {
        var models = await lifecycle.Registry.ListAsync(cancellationToken);
        var history = await lifecycle.Registry.GetHistoryAsync(cancellationToken);
        return TypedResults.Ok(new ModelList(models.FirstOrDefault(m => m.Stage == ModelStage.Production)?.Version, models, history));
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

    /// <summary>The registry's content.</summary>
    /// <param name="Production">The Production version, if any.</param>
    /// <param name="Models">Every version, newest first.</param>
    /// <param name="History">Promotions, newest first.</param>
    public sealed record ModelList(string? Production, IReadOnlyList<ModelRecord> Models, IReadOnlyList<StageChange> History);
}
