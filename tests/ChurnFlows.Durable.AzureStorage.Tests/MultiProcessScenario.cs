using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using ChurnFlows.Durable.Client;
using ChurnFlows.Durable.History;

namespace ChurnFlows.Durable.AzureStorage.Tests;

/// <summary>A hub shared by worker processes, seen from the test through a client-only hub.</summary>
public sealed class MultiProcessScenario : IAsyncDisposable
{
    private MultiProcessScenario(AzureStorageTaskHub hub, TableClient sideEffects)
    {
        Hub = hub;
        SideEffects = sideEffects;
        Client = new DurableTaskClient(hub);
    }

    public AzureStorageTaskHub Hub { get; }

    public DurableTaskClient Client { get; }

    public TableClient SideEffects { get; }

    public string HubName => Hub.Options.TaskHubName;

    public static async Task<MultiProcessScenario> CreateAsync()
    {
        var hub = await TestHubs.CreateAsync(TestHubs.Options());
        var table = (await TestStorage.ConnectAsync()).Tables.GetTableClient(Unique.Alphanumeric("fx"));
        await table.CreateIfNotExistsAsync();
        return new MultiProcessScenario(hub, table);
    }

    public Task<WorkerProcess> StartWorkerAsync(string? killAt = null, int activityDelayMs = 5) => WorkerProcess.StartAsync(HubName, SideEffects.Name, killAt, activityDelayMs);

    public async Task<OrchestrationMetadata> WaitAsync(string id, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await Client.WaitForInstanceCompletionAsync(id, cts.Token);
    }

    /// <summary>The distinct activity indexes that ran for an instance (each side effect is one row).</summary>
    public async Task<(int Rows, int Distinct)> SideEffectsOfAsync(string instanceId)
    {
        var keys = new List<string>();
        await foreach (var row in SideEffects.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}"), select: ["RowKey"]))
        {
            keys.Add(row.RowKey);
        }

        return (keys.Count, keys.Select(k => k[..5]).Distinct().Count());
    }

    /// <summary>Waits until the instance's side effects satisfy <paramref name="enough"/>.</summary>
    public async Task WaitForSideEffectsAsync(string instanceId, Func<(int Rows, int Distinct), bool> enough, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!enough(await SideEffectsOfAsync(instanceId)))
        {
            await Task.Delay(50, cts.Token);
        }
    }

    public async Task<int> CompletionsInHistoryAsync(string instanceId) =>
        (await Client.GetOrchestrationHistoryAsync(instanceId)).OfType<ExecutionCompletedEvent>().Count();

    /// <summary>Lease owners per partition, from the lease blobs' metadata (null: not leased).</summary>
    public async Task<IReadOnlyList<string?>> LeaseOwnersAsync()
    {
        var owners = new List<string?>();
        var container = (await TestStorage.ConnectAsync()).Blobs.GetBlobContainerClient($"{HubName}-leases");
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata, Prefix = "control-" }))
        {
            owners.Add(blob.Properties.LeaseState == LeaseState.Leased ? (blob.Metadata.TryGetValue("owner", out var owner) ? owner : "?") : null);
        }

        return owners;
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DeleteAsync();
        await SideEffects.DeleteAsync();
    }
}
