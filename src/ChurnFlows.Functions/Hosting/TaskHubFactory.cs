using ChurnFlows.Durable.AzureStorage;
using ChurnFlows.Durable.Hub;
using ChurnFlows.Storage;

namespace ChurnFlows.Functions.Hosting;

/// <summary>Creates the configured task hub: Azure Storage (the default; survives restarts, shared by every worker process) or in memory.</summary>
public static class TaskHubFactory
{
    /// <summary>Creates the hub named in <paramref name="settings"/> on <paramref name="account"/>.</summary>
    public static ITaskHub Create(StorageAccount account, ChurnFlowsSettings settings, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(settings);
        return settings.TaskHubBackend == "InMemory"
            ? new InMemoryTaskHub()
            : new AzureStorageTaskHub(account, new AzureStorageTaskHubOptions { TaskHubName = settings.TaskHub, PartitionCount = settings.PartitionCount, LeaseDuration = settings.PartitionLease, LeaseRenewInterval = settings.PartitionLease / 3 }, loggerFactory);
    }
}
