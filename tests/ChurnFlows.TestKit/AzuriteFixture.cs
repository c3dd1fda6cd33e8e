using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using ChurnFlows.Functions.Hosting;
using ChurnFlows.Functions.Hosting.Azurite;
using ChurnFlows.Lifecycle;

namespace ChurnFlows.TestKit;

/// <summary>
/// One real Azurite per test process, started on free ports in a temporary folder the first time
/// a test asks for it, and stopped when the process exits. Clients carry the app's own options
/// (<see cref="StorageClientDefaults"/>), plus any policy a test adds (e.g. a <see cref="StorageOperationCounter"/>).
/// </summary>
public static class AzuriteFixture
{
    private static readonly Lazy<Task<AzuriteProcess>> Instance = new(() => AzuriteProcess.StartAsync(new AzuriteOptions()));

    /// <summary>Gets the running Azurite (starting it on first use).</summary>
    public static Task<AzuriteProcess> GetAsync() => Instance.Value;

    /// <summary>Gets the connection string of the shared Azurite (its well-known development account on free ports).</summary>
    public static async Task<string> GetConnectionStringAsync() => (await GetAsync()).ConnectionString;

    /// <summary>Gets a blob service client of the shared Azurite.</summary>
    public static async Task<BlobServiceClient> GetBlobServiceAsync(HttpPipelinePolicy? perRetryPolicy = null) =>
        new(await GetConnectionStringAsync(), With(StorageClientDefaults.Blobs(), perRetryPolicy));

    /// <summary>Gets a queue service client of the shared Azurite.</summary>
    public static async Task<QueueServiceClient> GetQueueServiceAsync(HttpPipelinePolicy? perRetryPolicy = null) =>
        new(await GetConnectionStringAsync(), With(StorageClientDefaults.Queues(), perRetryPolicy));

    /// <summary>Gets a table service client of the shared Azurite.</summary>
    public static async Task<TableServiceClient> GetTableServiceAsync(HttpPipelinePolicy? perRetryPolicy = null) =>
        new(await GetConnectionStringAsync(), With(StorageClientDefaults.Tables(), perRetryPolicy));

    /// <summary>Gets the three service clients of the shared Azurite, created the way the app creates them.</summary>
    public static async Task<StorageClients> GetClientsAsync() => Connect(await GetConnectionStringAsync());

    /// <summary>Creates the three service clients of <paramref name="connectionString"/> (e.g. a private Azurite's), the way the app does.</summary>
    public static StorageClients Connect(string connectionString) =>
        new StorageConnectionSetting { Name = "AzureWebJobsStorage", ConnectionString = connectionString }.CreateClients();

    /// <summary>Gets the lifecycle's containers in the shared Azurite.</summary>
    public static async Task<ChurnContainers> GetContainersAsync() => new(await GetBlobServiceAsync());

    /// <summary>Creates a uniquely named, empty container that is deleted on dispose.</summary>
    public static async Task<DisposableContainer> NewContainerAsync()
    {
        var client = (await GetBlobServiceAsync()).GetBlobContainerClient(UniqueName.Lower("c"));
        await client.CreateIfNotExistsAsync();
        return new DisposableContainer(client);
    }

    /// <summary>Creates a uniquely named, empty queue that is deleted on dispose.</summary>
    public static async Task<DisposableQueue> NewQueueAsync()
    {
        var client = (await GetQueueServiceAsync()).GetQueueClient(UniqueName.Lower("q"));
        await client.CreateIfNotExistsAsync();
        return new DisposableQueue(client);
    }

    /// <summary>Creates a uniquely named, empty table that is deleted on dispose.</summary>
    public static async Task<DisposableTable> NewTableAsync()
    {
        var client = (await GetTableServiceAsync()).GetTableClient(UniqueName.Alphanumeric("t"));
        await client.CreateIfNotExistsAsync();
        return new DisposableTable(client);
    }

    private static T With<T>(T options, HttpPipelinePolicy? perRetryPolicy)
        where T : ClientOptions
    {
        if (perRetryPolicy is not null)
        {
            options.AddPolicy(perRetryPolicy, HttpPipelinePosition.PerRetry);
        }

        return options;
    }
}
