using ChurnFlows.Durable.Client;
using ChurnFlows.Durable.Hub;
using ChurnFlows.Durable.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ChurnFlows.Durable;

/// <summary>Registers the engine with dependency injection.</summary>
public static class DurableTaskServiceCollectionExtensions
{
    /// <summary>
    /// Adds a <see cref="DurableTaskClient"/> and a <see cref="DurableTaskWorker"/> (as a hosted service)
    /// over the <see cref="ITaskHub"/> registered in the container (an <see cref="InMemoryTaskHub"/> if none is).
    /// </summary>
    public static IServiceCollection AddDurableTask(this IServiceCollection services, Action<DurableTaskRegistry> register, DurableTaskWorkerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(register);
        var registry = new DurableTaskRegistry();
        register(registry);
        services.TryAddSingleton<ITaskHub>(_ => new InMemoryTaskHub());
        services.AddSingleton(registry);
        services.AddSingleton(sp => new DurableTaskClient(sp.GetRequiredService<ITaskHub>()));
        services.AddSingleton(sp => new DurableTaskWorker(sp.GetRequiredService<ITaskHub>(), registry, options, sp.GetService<ILoggerFactory>()));
        services.AddHostedService(sp => sp.GetRequiredService<DurableTaskWorker>());
        return services;
    }
}
