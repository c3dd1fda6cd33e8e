using ChurnFlows.Durable.Client;
using ChurnFlows.Durable.Hub;
using ChurnFlows.Durable.Worker;
using ChurnFlows.Lifecycle;
using ChurnFlows.Lifecycle.Orchestration;
using ChurnFlows.Lifecycle.Serving;
using ChurnFlows.Storage;

namespace ChurnFlows.Functions.Hosting;

/// <summary>
/// Registers the running system: the storage account (<c>AzureWebJobsStorage</c>), the task hub, the
/// durable worker with every lifecycle orchestration and activity, the lifecycle services, the
/// Production model cache and the prediction logger. Settings come from the <c>ChurnFlows</c> section.
/// </summary>
public static class LifecycleHosting
{
    /// <summary>Adds the lifecycle and its durable worker.</summary>
    public static IServiceCollection AddChurnFlowsLifecycle(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = ChurnFlowsSettings.From(configuration);
        services.AddSingleton(settings);
        services.AddSingleton(_ => StorageAccount.FromConnectionString(settings.StorageConnectionString));
        services.AddSingleton(sp => TaskHubFactory.Create(sp.GetRequiredService<StorageAccount>(), settings, sp.GetService<ILoggerFactory>()));
        services.AddSingleton(sp => new DurableTaskClient(sp.GetRequiredService<ITaskHub>()));
        services.AddSingleton(sp => new LifecycleServices(sp.GetRequiredService<StorageAccount>(), sp.GetRequiredService<DurableTaskClient>(), settings.Lifecycle));
        services.AddSingleton(sp => new ModelCache(sp.GetRequiredService<LifecycleServices>().Models, settings.ModelRefreshInterval));
        services.AddSingleton(sp => new PredictionLogger(sp.GetRequiredService<LifecycleServices>().Predictions, $"{Environment.MachineName}-{Environment.ProcessId}", flushInterval: settings.PredictionLogFlushInterval));
        services.AddHostedService<StorageInitializer>();
        services.AddSingleton(sp => new DurableTaskWorker(
            sp.GetRequiredService<ITaskHub>(),
            new DurableTaskRegistry().AddLifecycle(sp.GetRequiredService<LifecycleServices>()),
            new DurableTaskWorkerOptions { MaxConcurrentActivities = settings.MaxConcurrentActivities },
            sp.GetService<ILoggerFactory>()));
        services.AddHostedService(sp => sp.GetRequiredService<DurableTaskWorker>());
        return services;
    }

    /// <summary>Creates the containers, tables and task hub resources before the worker starts.</summary>
    private sealed class StorageInitializer(LifecycleServices lifecycle, ITaskHub hub) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await lifecycle.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            await hub.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
