using ChurnFlows.Storage;
using ChurnFlows.TestKit;

namespace ChurnFlows.Durable.AzureStorage.Tests;

/// <summary>Hubs on the shared Azurite with a unique name each and test-friendly timings.</summary>
public static class TestHubs
{
    public static AzureStorageTaskHubOptions Options(TimeProvider? clock = null) => new()
    {
        TaskHubName = UniqueName.Lower("h"),
        LeaseDuration = TimeSpan.FromSeconds(15),
        LeaseRenewInterval = TimeSpan.FromSeconds(2),
        ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(30),
        WorkItemVisibilityTimeout = TimeSpan.FromSeconds(30),
        MaxPollingInterval = TimeSpan.FromMilliseconds(100),
        MaxTimerChunk = TimeSpan.FromMilliseconds(300),
        TimeProvider = clock ?? TimeProvider.System,
    };

    public static async Task<AzureStorageTaskHub> CreateAsync(AzureStorageTaskHubOptions options, StorageClientOptions? clientOptions = null)
    {
        var hub = new AzureStorageTaskHub(await AzuriteFixture.GetAccountAsync(clientOptions), options);
        await hub.CreateIfNotExistsAsync();
        return hub;
    }
}
