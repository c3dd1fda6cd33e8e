using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using ChurnFlows.Durable.Client;
using ChurnFlows.Durable.Hub;
using ChurnFlows.Durable.Worker;
using ChurnFlows.Lifecycle;
using ChurnFlows.Lifecycle.Orchestration;
using ChurnFlows.Lifecycle.Serving;

namespace ChurnFlows.Functions.Hosting;

/// <summary>
/// Registers the running system: the storage clients of <c>AzureWebJobsStorage</c> (Azure SDK, <c>AddAzureClients</c>), the task hub, the
/// durable worker with every lifecycle orchestration and activity, the lifecycle services, the
/// model cache (Production and Staging), the canary router and the prediction logger. Settings come from the <c>ChurnFlows</c> section.
/// The worker starts once storage answers (see <see cref="LifecycleStartup"/>).
/// </summary>
public static class LifecycleHosting
{
    /// <summary>Adds the lifecycle and its durable worker.</summary>
    public static IServiceCollection AddChurnFlowsLifecycle(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = ChurnFlowsSettings.From(configuration);
        services.AddSingleton(settings);
        services.ConfigureFunctions(table => table.AddLifecycleFunctions(settings));
        settings.Storage.AddClients(services);
        services.AddSingleton(sp => new StorageClients(sp.GetRequiredService<BlobServiceClient>(), sp.GetRequiredService<QueueServiceClient>(), sp.GetRequiredService<TableServiceClient>()));
        services.AddSingleton(sp => TaskHubFactory.Create(sp.GetRequiredService<StorageClients>(), settings, sp.GetService<ILoggerFactory>()));
        services.AddSingleton(sp => new DurableTaskClient(sp.GetRequiredService<ITaskHub>()));
        services.AddSingleton(sp => new LifecycleServices(sp.GetRequiredService<BlobServiceClient>(), sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<DurableTaskClient>(), settings.Lifecycle));
        services.AddSingleton(sp => new ModelCache(sp.GetRequiredService<LifecycleServices>().Models, sp.GetRequiredService<LifecycleServices>().Registry, settings.ModelRefreshInterval));
        services.AddSingleton(sp => new CanaryRouter(sp.GetRequiredService<ModelCache>(), settings.CanaryPercent));
        services.AddSingleton(sp => new PredictionLogger(sp.GetRequiredService<LifecycleServices>().Predictions, $"{Environment.MachineName}-{Environment.ProcessId}", flushInterval: settings.PredictionLogFlushInterval, maxPerSecond: settings.PredictionLogMaxPerSecond));
        services.AddSingleton(sp => new DurableTaskWorker(
            sp.GetRequiredService<ITaskHub>(),
            new DurableTaskRegistry().AddLifecycle(sp.GetRequiredService<LifecycleServices>()),
            LifecycleRuntime.DefaultWorkerOptions with { MaxConcurrentActivities = settings.MaxConcurrentActivities },
            sp.GetService<ILoggerFactory>()));
        services.AddHostedService<LifecycleStartup>();
        return services;
    }
}
