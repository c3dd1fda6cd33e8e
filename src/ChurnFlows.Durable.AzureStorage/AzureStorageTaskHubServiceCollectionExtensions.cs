using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using ChurnFlows.Durable.Hub;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ChurnFlows.Durable.AzureStorage;

/// <summary>Registers the Azure Storage task hub with dependency injection.</summary>
public static class AzureStorageTaskHubServiceCollectionExtensions
{
    /// <summary>
    /// Registers an <see cref="AzureStorageTaskHub"/> as the <see cref="ITaskHub"/> (replacing the
    /// in-memory default), so <c>AddDurableTask</c>'s client and worker run on it. Uses the
    /// <see cref="BlobServiceClient"/>, <see cref="QueueServiceClient"/> and <see cref="TableServiceClient"/>
    /// registered in the container (e.g. by <c>AddAzureClients</c>; the queue client should encode messages
    /// as base64, like every other worker of the hub), or clients built from <paramref name="connectionString"/>
    /// when one is given. The container disposes the hub at shutdown, which releases its partition leases at once.
    /// </summary>
    /// <param name="services">The services to add to.</param>
    /// <param name="options">The hub's settings.</param>
    /// <param name="connectionString">A storage connection string; null resolves the three service clients from the container.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddAzureStorageTaskHub(this IServiceCollection services, AzureStorageTaskHubOptions options, string? connectionString = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.TryAddSingleton(sp => connectionString is null
            ? new AzureStorageTaskHub(
                sp.GetRequiredService<BlobServiceClient>(),
                sp.GetRequiredService<QueueServiceClient>(),
                sp.GetRequiredService<TableServiceClient>(),
                options,
                sp.GetService<ILoggerFactory>())
            : new AzureStorageTaskHub(connectionString, options, sp.GetService<ILoggerFactory>()));
        services.Replace(ServiceDescriptor.Singleton<ITaskHub>(sp => sp.GetRequiredService<AzureStorageTaskHub>()));
        return services;
    }
}
