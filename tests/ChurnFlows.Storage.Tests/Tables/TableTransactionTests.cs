using Azure;
using ChurnFlows.Storage.Tables;
using ChurnFlows.TestKit;

namespace ChurnFlows.Storage.Tests.Tables;

public class TableTransactionTests
{
    [Fact]
    public async Task SubmitTransactionAsync_MixedActions_AppliesAll()
    {
        await using var t = await AzuriteFixture.NewTableAsync();
        var existing = await t.Client.AddEntityAsync(new TableEntity("p", "sentinel") { ["Gen"] = 1 });
        await t.Client.AddEntityAsync(new TableEntity("p", "old"));

        var etags = await t.Client.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "0001") { ["EventType"] = "ExecutionStarted" }),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "0002") { ["EventType"] = "TaskScheduled" }),
            new(TableTransactionActionType.UpdateMerge, new TableEntity("p", "sentinel") { ["Gen"] = 2 }, existing),
            new(TableTransactionActionType.Delete, new TableEntity("p", "old")),
        ]);

        Assert.Equal(4, etags.Count);
        Assert.Equal(2, (await t.Client.GetEntityAsync("p", "sentinel"))!.GetInt32("Gen"));
        Assert.Null(await t.Client.GetEntityAsync("p", "old"));
        Assert.Equal(3, (await t.Client.QueryAsync().ToListAsync()).Count);
    }

    [Fact]
    public async Task SubmitTransactionAsync_OneActionFails_NothingIsApplied()
    {
        await using var t = await AzuriteFixture.NewTableAsync();
        var stale = await t.Client.AddEntityAsync(new TableEntity("p", "sentinel") { ["Gen"] = 1 });
        await t.Client.UpsertEntityAsync(new TableEntity("p", "sentinel") { ["Gen"] = 2 });

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => t.Client.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "0001")),
            new(TableTransactionActionType.UpdateMerge, new TableEntity("p", "sentinel") { ["Gen"] = 3 }, stale),
        ]));

        Assert.Equal(412, error.Status);
        Assert.Contains("rolled back", error.Message, StringComparison.Ordinal);
        Assert.Null(await t.Client.GetEntityAsync("p", "0001"));
        Assert.Equal(2, (await t.Client.GetEntityAsync("p", "sentinel"))!.GetInt32("Gen"));
    }

    [Fact]
    public async Task SubmitTransactionAsync_InvalidShape_ThrowsBeforeSending()
    {
        await using var t = await AzuriteFixture.NewTableAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => t.Client.SubmitTransactionAsync([]));
        await Assert.ThrowsAsync<ArgumentException>(() => t.Client.SubmitTransactionAsync(
            [new(TableTransactionActionType.Add, new TableEntity("a", "1")), new(TableTransactionActionType.Add, new TableEntity("b", "1"))]));
        await Assert.ThrowsAsync<ArgumentException>(() => t.Client.SubmitTransactionAsync(
            [new(TableTransactionActionType.Add, new TableEntity("a", "1")), new(TableTransactionActionType.Delete, new TableEntity("a", "1"))]));
        var tooMany = Enumerable.Range(0, 101).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("a", $"{i}"))).ToList();
        var error = await Assert.ThrowsAsync<ArgumentException>(() => t.Client.SubmitTransactionAsync(tooMany));
        Assert.Contains("101", error.Message, StringComparison.Ordinal);
    }
}
