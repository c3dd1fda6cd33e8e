using ChurnFlows.Functions.Hosting;
using ChurnFlows.TestKit;

namespace ChurnFlows.Lifecycle.Tests;

/// <summary>A fresh storage account view: the product's containers on the shared Azurite, emptied per test class.</summary>
public static class LifecycleFixture
{
    public static async Task<(StorageClients Account, ChurnContainers Containers)> ContainersAsync()
    {
        var account = await AzuriteFixture.GetClientsAsync();
        var containers = new ChurnContainers(account.Blobs);
        await containers.CreateIfNotExistsAsync();
        return (account, containers);
    }
}
