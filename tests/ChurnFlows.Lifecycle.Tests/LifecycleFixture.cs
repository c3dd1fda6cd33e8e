using ChurnFlows.Storage;
using ChurnFlows.TestKit;

namespace ChurnFlows.Lifecycle.Tests;

/// <summary>A fresh storage account view: the product's containers on the shared Azurite, emptied per test class.</summary>
public static class LifecycleFixture
{
    public static async Task<(StorageAccount Account, ChurnContainers Containers)> ContainersAsync()
    {
        var account = await AzuriteFixture.GetAccountAsync();
        var containers = new ChurnContainers(account);
        await containers.CreateIfNotExistsAsync();
        return (account, containers);
    }
}
