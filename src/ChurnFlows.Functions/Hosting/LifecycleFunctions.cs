using ChurnFlows.Durable.Client;
using ChurnFlows.Lifecycle;
using ChurnFlows.Lifecycle.Orchestration;

namespace ChurnFlows.Functions.Hosting;

/// <summary>
/// The lifecycle's functions: the blob trigger on <c>churn-incoming</c> that starts ingestion, the drift
/// monitor's timer, the optional scheduled retrain, and the declarations of the lifecycle's HTTP routes
/// (so the Functions host forwards them).
/// </summary>
public static class LifecycleFunctions
{
    /// <summary>Adds the lifecycle's triggers and routes to the function table.</summary>
    public static FunctionTable AddLifecycleFunctions(this FunctionTable table, ChurnFlowsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(settings);
        table
            .AddBlob("IngestDrop", "churn-incoming/{name}", TriggerHandler.From((invocation, services, ct) =>
                services.GetRequiredService<LifecycleServices>().StartIngestAsync(invocation.Blob!.Name, invocation.Blob.Content.ToMemory(), ct)))
            .AddTimer("DriftMonitor", settings.Lifecycle.Drift.Schedule, TriggerHandler.From((_, services, ct) =>
                services.GetRequiredService<DurableTaskClient>().ScheduleNewOrchestrationInstanceAsync(nameof(DriftMonitorOrchestrator), cancellation: ct)));
        if (!string.IsNullOrWhiteSpace(settings.Lifecycle.RetrainSchedule))
        {
            table.AddTimer("ScheduledRetrain", settings.Lifecycle.RetrainSchedule, TriggerHandler.From(async (invocation, services, ct) =>
                invocation.Log((await services.GetRequiredService<LifecycleServices>().StartRetrainAsync(new StartRetrainRequest("timer: scheduled retrain"), ct)).Message)));
        }

        return table
            .DeclareHttp("ListModels", "GET", "models")
            .DeclareHttp("RollbackModel", "POST", "models/rollback")
            .DeclareHttp("PromoteModel", "POST", "models/{version}/promote")
            .DeclareHttp("StageModel", "POST", "models/{version}/stage")
            .DeclareHttp("Retrain", "POST", "retrain")
            .DeclareHttp("ListRuns", "GET", "runs")
            .DeclareHttp("GetRun", "GET", "runs/{id}")
            .DeclareHttp("ApproveRun", "POST", "runs/{id}/approve")
            .DeclareHttp("RejectRun", "POST", "runs/{id}/reject")
            .DeclareHttp("CheckDrift", "POST", "drift/check")
            .DeclareHttp("UploadDataset", "POST", "datasets")
            .DeclareHttp("PostOutcomes", "POST", "outcomes");
    }
}
