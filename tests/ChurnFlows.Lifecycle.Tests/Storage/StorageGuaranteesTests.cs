using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using ChurnFlows.Lifecycle.Registry;
using ChurnFlows.Lifecycle.Runs;
using ChurnFlows.Lifecycle.Tests.Serving;
using ChurnFlows.Lifecycle.Tuning;
using ChurnFlows.TestKit;
using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Lifecycle.Tests.Storage;

/// <summary>
/// The storage guarantees the lifecycle is built on, through the Azure SDK clients it is given, on real Azurite:
/// conditional writes, entity group transactions, paging, leases and the SDK's error codes.
/// </summary>
public class StorageGuaranteesTests
{
    [Fact]
    public async Task TableUpdate_StaleETag_Fails412UpdateConditionNotSatisfied_AndKeepsTheWinner()
    {
        await using var table = await AzuriteFixture.NewTableAsync();
        await table.Client.AddEntityAsync(new TableEntity("model", "v1") { ["Stage"] = "None" });
        var read = (await table.Client.GetEntityAsync<TableEntity>("model", "v1")).Value;
        await table.Client.UpdateEntityAsync(new TableEntity("model", "v1") { ["Stage"] = "Staging" }, read.ETag, TableUpdateMode.Merge);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.Client.UpdateEntityAsync(new TableEntity("model", "v1") { ["Stage"] = "Archived" }, read.ETag, TableUpdateMode.Merge));

        Assert.Equal(412, error.Status);
        Assert.Equal("UpdateConditionNotSatisfied", error.ErrorCode);
        Assert.Equal("Staging", (await table.Client.GetEntityAsync<TableEntity>("model", "v1")).Value.GetString("Stage"));
    }

    [Fact]
    public async Task PromoteAsync_ConcurrentPromotions_LeaveExactlyOneProductionVersion()
    {
        await using var storage = await ServingRegistry.CreateAsync();
        var versions = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            versions.Add(await storage.RegisterAsync($"v-race-{i}", DateTimeOffset.UtcNow.AddMinutes(i)));
        }

        await Task.WhenAll(versions.Select(v => storage.Registry.PromoteAsync(v, "race")));

        var all = await storage.Registry.ListAsync();
        var production = Assert.Single(all, r => r.Stage == ModelStage.Production);
        Assert.Equal(production.Version, await storage.Store.GetProductionVersionAsync());
        Assert.All(all.Where(r => r.Version != production.Version), r => Assert.Equal(ModelStage.Archived, r.Stage));
    }

    [Fact]
    public async Task ModelStoreSaveAsync_SameVersionTwice_KeepsTheFirstArtifact()
    {
        await using var storage = await ServingRegistry.CreateAsync();
        await storage.RegisterAsync("v-once");
        var first = await storage.Store.LoadAsync("v-once");

        await storage.Store.SaveAsync(first with { CreatedAt = first.CreatedAt.AddDays(1) }); // create-only: 409 BlobAlreadyExists, absorbed

        Assert.Equal(first.CreatedAt, (await storage.Store.LoadAsync("v-once")).CreatedAt);
    }

    [Fact]
    public async Task ModelStoreLoadAsync_MissingVersion_FailsWithTheServiceErrorCode()
    {
        await using var storage = await ServingRegistry.CreateAsync();

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => storage.Store.LoadAsync("v-never"));

        Assert.Equal(404, error.Status);
        Assert.Equal("BlobNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task TrialStoreAddAsync_OneTrialAlreadyStored_AddsNoneOfTheWave()
    {
        await using var table = await AzuriteFixture.NewTableAsync();
        var store = new TrialStore(table.Client);
        Assert.True(await store.AddAsync("study", [new FrozenTrial { Number = 0 }], wave: 0));

        var added = await store.AddAsync("study", [new FrozenTrial { Number = 1 }, new FrozenTrial { Number = 0 }, new FrozenTrial { Number = 2 }], wave: 1);

        Assert.False(added);
        var (state, waves) = await store.LoadAsync("study", StudyDirection.Maximize, seed: 1);
        Assert.Equal([0], state.Trials.Select(t => t.Number));
        Assert.Equal(0, waves[0]);
    }

    [Fact]
    public async Task RunLogListAsync_MoreRunsThanOnePage_FollowsContinuations()
    {
        await using var table = await AzuriteFixture.NewTableAsync();
        var started = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        foreach (var chunk in Enumerable.Range(0, 1_050).Chunk(100))
        {
            await table.Client.SubmitTransactionAsync(chunk.Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("run", $"run-{i:D4}") { ["Kind"] = "retrain", ["StartedAt"] = started.AddMinutes(i) })));
        }

        var runs = await new RunLog(table.Client).ListAsync(top: 2_000);

        Assert.Equal(1_050, runs.Count); // a query page holds at most 1,000 entities
        Assert.Equal("run-1049", runs[0].RunId);
    }

    [Theory]
    [InlineData("x' or PartitionKey ne '")]
    [InlineData("run' or '1' eq '1")]
    [InlineData("') or (RowKey ne '")]
    public async Task Reads_KeysWithODataInjection_MatchNothing(string hostile)
    {
        await using var storage = await ServingRegistry.CreateAsync();
        await using var table = await AzuriteFixture.NewTableAsync();
        var runs = new RunLog(table.Client);
        await runs.RecordAsync(new RunStep("run-1", "retrain", 0, "started", "running", "test", DateTime.UtcNow, 0));
        var trials = new TrialStore(table.Client);
        await trials.AddAsync("study-1", [new FrozenTrial { Number = 0 }], wave: 0);
        await storage.RegisterAsync("v-1");

        Assert.Empty(await runs.GetStepsAsync(hostile));
        Assert.Null(await runs.GetAsync(hostile));
        Assert.Empty((await trials.LoadAsync(hostile, StudyDirection.Maximize, seed: 1)).State.Trials);
        Assert.Null(await storage.Registry.GetAsync(hostile));
        Assert.Single(await runs.GetStepsAsync("run-1"));
    }

    [Fact]
    public async Task BlobLease_SecondClient_ConflictsUntilReleased()
    {
        await using var container = await AzuriteFixture.NewContainerAsync();
        var blob = container.Client.GetBlobClient("partition-00");
        await blob.UploadAsync(BinaryData.FromString("owner"));
        var first = blob.GetBlobLeaseClient();
        var second = blob.GetBlobLeaseClient();
        await first.AcquireAsync(TimeSpan.FromSeconds(15));

        var conflict = await Assert.ThrowsAsync<RequestFailedException>(() => second.AcquireAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal(409, conflict.Status);
        Assert.Equal("LeaseAlreadyPresent", conflict.ErrorCode);
        var write = await Assert.ThrowsAsync<RequestFailedException>(() => blob.UploadAsync(BinaryData.FromString("intruder"), overwrite: true));
        Assert.Equal(412, write.Status);

        await first.ReleaseAsync();
        await second.AcquireAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(LeaseState.Leased, (await blob.GetPropertiesAsync()).Value.LeaseState);
    }
}
