using ChurnFlows.Storage;
using ChurnFlows.Storage.Emulator;

namespace ChurnFlows.TestKit;

/// <summary>
/// One real Azurite per test process, started on free ports in a temporary folder the first time
/// a test asks for it, and stopped when the process exits.
/// </summary>
public static class AzuriteFixture
{
    private static readonly Lazy<Task<AzuriteProcess>> Instance = new(() => AzuriteProcess.StartAsync(new AzuriteOptions()));

    /// <summary>Gets the running Azurite (starting it on first use).</summary>
    public static Task<AzuriteProcess> GetAsync() => Instance.Value;

    /// <summary>Gets the connection string of the shared Azurite (its well-known development account on free ports).</summary>
    public static async Task<string> GetConnectionStringAsync() => (await GetAsync()).ConnectionString;

    /// <summary>Gets a storage account connected to the shared Azurite.</summary>
    public static async Task<StorageAccount> GetAccountAsync(StorageClientOptions? options = null) =>
        StorageAccount.FromConnectionString((await GetAsync()).ConnectionString, options);

    /// <summary>Creates a uniquely named, empty container that is deleted on dispose.</summary>
    public static async Task<DisposableContainer> NewContainerAsync()
    {
        var client = (await GetAccountAsync()).BlobServiceClient.GetBlobContainerClient(UniqueName.Lower("c"));
        await client.CreateIfNotExistsAsync();
        return new DisposableContainer(client);
    }

    /// <summary>Creates a uniquely named, empty queue that is deleted on dispose.</summary>
    public static async Task<DisposableQueue> NewQueueAsync()
    {
        var client = (await GetAccountAsync()).QueueServiceClient.GetQueueClient(UniqueName.Lower("q"));
        await client.CreateIfNotExistsAsync();
        return new DisposableQueue(client);
    }

    /// <summary>Creates a uniquely named, empty table that is deleted on dispose.</summary>
    public static async Task<DisposableTable> NewTableAsync()
    {
        var client = (await GetAccountAsync()).TableServiceClient.GetTableClient(UniqueName.Alphanumeric("t"));
        await client.CreateIfNotExistsAsync();
        return new DisposableTable(client);
    }
}
