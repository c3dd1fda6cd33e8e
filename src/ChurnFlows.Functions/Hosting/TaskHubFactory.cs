using ChurnFlows.Durable.AzureStorage;
using ChurnFlows.Durable.Hub;

namespace ChurnFlows.Functions.Hosting;

/// <summary>Creates the configured task hub: Azure Storage (the default; survives restarts, shared by every worker process) or in memory.</summary>
public static class TaskHubFactory
{
    /// <summary>Creates the hub named in <paramref name="settings"/> in the account of <paramref name="storage"/>.</summary>
    public static ITaskHub Create(StorageClients storage, ChurnFlowsSettings settings, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(settings);
        return settings.TaskHubBackend == "InMemory"
            ? new InMemoryTaskHub()
            : new AzureStorageTaskHub(storage.Blobs, storage.Queues, storage.Tables, new AzureStorageTaskHubOptions { TaskHubName = settings.TaskHub, PartitionCount = settings.PartitionCount, LeaseDuration = settings.PartitionLease, LeaseRenewInterval = settings.PartitionLease / 3 }, loggerFactory);
    }
}
