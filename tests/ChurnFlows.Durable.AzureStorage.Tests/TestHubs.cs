using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using ChurnFlows.TestKit;

namespace ChurnFlows.Durable.AzureStorage.Tests;

/// <summary>Hubs on the shared Azurite with a unique name each and test-friendly timings.</summary>
public static class TestHubs
{
    public static AzureStorageTaskHubOptions Options(TimeProvider? clock = null) => new()
    {
        TaskHubName = Unique.Lower("h"),
        LeaseDuration = TimeSpan.FromSeconds(15),
        LeaseRenewInterval = TimeSpan.FromSeconds(2),
        ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(30),
        WorkItemVisibilityTimeout = TimeSpan.FromSeconds(30),
        MaxPollingInterval = TimeSpan.FromMilliseconds(100),
        MaxTimerChunk = TimeSpan.FromMilliseconds(300),
        TimeProvider = clock ?? TimeProvider.System,
    };

    /// <summary>Creates a hub (and its queues, tables and containers) whose requests <paramref name="policy"/> sees, if given.</summary>
    public static async Task<AzureStorageTaskHub> CreateAsync(AzureStorageTaskHubOptions options, HttpPipelinePolicy? policy = null)
    {
        var storage = await TestStorage.ConnectAsync(policy);
        var hub = new AzureStorageTaskHub(storage.Blobs, storage.Queues, storage.Tables, options);
        await hub.CreateIfNotExistsAsync();
        return hub;
    }
}

/// <summary>SDK clients on the shared Azurite, queue messages base64-encoded like the hub's own clients.</summary>
public sealed record TestStorage(BlobServiceClient Blobs, QueueServiceClient Queues, TableServiceClient Tables)
{
    /// <summary>Connects to the shared Azurite; <paramref name="policy"/> (e.g. a <see cref="StorageOperationCounter"/>) sees every try of every request.</summary>
    public static async Task<TestStorage> ConnectAsync(HttpPipelinePolicy? policy = null)
    {
        var connectionString = await AzuriteFixture.GetConnectionStringAsync();
        var blobOptions = new BlobClientOptions();
        var queueOptions = AzureStorageTaskHub.DefaultQueueOptions();
        var tableOptions = new TableClientOptions();
        if (policy is not null)
        {
            blobOptions.AddPolicy(policy, HttpPipelinePosition.PerRetry);
            queueOptions.AddPolicy(policy, HttpPipelinePosition.PerRetry);
            tableOptions.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        }

        return new TestStorage(new BlobServiceClient(connectionString, blobOptions), new QueueServiceClient(connectionString, queueOptions), new TableServiceClient(connectionString, tableOptions));
    }

    /// <summary>A hub's table: <c>History</c> or <c>Instances</c>.</summary>
    public TableClient HubTable(string hubName, string suffix) => Tables.GetTableClient(hubName.Replace("-", string.Empty, StringComparison.Ordinal) + suffix);

    /// <summary>The approximate number of messages in a queue.</summary>
    public async Task<int> MessageCountAsync(string queueName) => (await Queues.GetQueueClient(queueName).GetPropertiesAsync()).Value.ApproximateMessagesCount;
}

/// <summary>Unique resource names for tests that share one Azurite.</summary>
public static class Unique
{
    /// <summary>A lower-case name with a hyphen (containers, queues, task hubs).</summary>
    public static string Lower(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 17, 63)];

    /// <summary>A letters-and-digits name (tables).</summary>
    public static string Alphanumeric(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 16, 63)];
}
