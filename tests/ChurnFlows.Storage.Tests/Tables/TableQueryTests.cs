using ChurnFlows.Storage.Tables;
using ChurnFlows.TestKit;

namespace ChurnFlows.Storage.Tests.Tables;

public class TableQueryTests
{
    [Fact]
    public async Task QueryAsync_MoreThan1000Entities_FollowsContinuations()
    {
        await using var t = await AzuriteFixture.NewTableAsync();
        var rows = Enumerable.Range(0, 1_150).Select(i => new TableEntity("p", i.ToString("D6")) { ["i"] = i }).ToList();
        foreach (var chunk in rows.Chunk(100))
        {
            await t.Client.SubmitTransactionAsync([.. chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e))]);
        }

        var first = await t.Client.QueryPageAsync(null, null, null, null);
        var all = await t.Client.QueryAsync(TableFilter.PartitionKeyEquals("p")).ToListAsync();

        Assert.NotNull(first.Continuation);
        Assert.Equal(1_150, all.Count);
        Assert.Equal(Enumerable.Range(0, 1_150), all.Select(e => e.GetInt32("i")!.Value));
    }

    [Fact]
    public async Task QueryAsync_FilterSelectTop_ReturnsMatchingProjection()
    {
        await using var t = await AzuriteFixture.NewTableAsync();
        for (var i = 0; i < 10; i++)
        {
            await t.Client.AddEntityAsync(new TableEntity(i % 2 == 0 ? "even" : "odd", $"{i}") { ["Name"] = $"n{i}", ["Other"] = "o" });
        }

        var page = await t.Client.QueryPageAsync(TableFilter.And(TableFilter.PartitionKeyEquals("even"), TableFilter.Equal("Name", "n4")), ["Name"], 5, null);

        var only = Assert.Single(page.Items);
        Assert.Equal("n4", only.GetString("Name"));
        Assert.False(only.ContainsKey("Other"));
        Assert.NotEqual(default, only.ETag);
        Assert.Equal(3, (await t.Client.QueryPageAsync(TableFilter.PartitionKeyEquals("odd"), null, 3, null)).Items.Count);
    }

    [Fact]
    public void TableFilter_Literal_DoublesQuotes()
    {
        Assert.Equal("Name eq 'O''Brien'", TableFilter.Equal("Name", "O'Brien"));
    }
}
