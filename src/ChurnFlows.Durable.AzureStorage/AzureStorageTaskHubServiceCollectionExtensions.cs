using ChurnFlows.Durable.Hub;
using ChurnFlows.Storage;
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
    /// <see cref="StorageAccount"/> registered in the container, or one from <paramref name="connectionString"/>.
    /// The container disposes the hub at shutdown, which releases its partition leases at once.
    /// </summary>
    public static IServiceCollection AddAzureStorageTaskHub(this IServiceCollection services, AzureStorageTaskHubOptions options, string? connectionString = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.TryAddSingleton(sp => new AzureStorageTaskHub(
            connectionString is null ? sp.GetRequiredService<StorageAccount>() : StorageAccount.FromConnectionString(connectionString),
            options,
            sp.GetService<ILoggerFactory>()));
        services.Replace(ServiceDescriptor.Singleton<ITaskHub>(sp => sp.GetRequiredService<AzureStorageTaskHub>()));
        return services;
    }
}
