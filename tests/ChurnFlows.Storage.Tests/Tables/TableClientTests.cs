using Azure;
using ChurnFlows.Storage.Tables;
using ChurnFlows.TestKit;

namespace ChurnFlows.Storage.Tests.Tables;

public class TableClientTests
{
    [Fact]
    public async Task AddEntityAsync_ThenGet_RoundTripsEveryType()
    {
        await using var t = await AzuriteFixture.NewTableAsync();
        var when = new DateTimeOffset(2026, 11, 22, 13, 30, 0, TimeSpan.Zero);
        var id = Guid.NewGuid();
        var entity = new TableEntity("p", "r")
        {
            ["Name"] = "churn",
            ["Flag"] = true,
            ["Count"] = 42,
            ["Big"] = 9_000_000_000L,
            ["Score"] = 0.875,
            ["Whole"] = 2.0,
            ["Missing"] = double.NaN,
            ["When"] = when,
            ["Id"] = id,
            ["Bytes"] = new byte[] { 1, 2, 3 },
        };

        var etag = await t.Client.AddEntityAsync(entity);
        var read = await t.Client.GetEntityAsync("p", "r");

        Assert.NotNull(read);
        Assert.Equal(etag, read.ETag);
        Assert.Equal("churn", read.GetString("Name"));
        Assert.True(read.GetBoolean("Flag"));
        Assert.Equal(42, read.GetInt32("Count"));
        Assert.Equal(9_000_000_000L, read.GetInt64("Big"));
        Assert.Equal(0.875, read.GetDouble("Score"));
        Assert.Equal(2.0, read.GetDouble("Whole"));
        Assert.True(double.IsNaN(read.GetDouble("Missing")!.Value));
        Assert.Equal(when, read.GetDateTimeOffset("When"));
        Assert.Equal(id, read.GetGuid("Id"));
        Assert.Equal(new byte[] { 1, 2, 3 }, read.GetBinary("Bytes"));
        Assert.NotNull(read.Timestamp);
    }

    [Fact]
    public async Task AddEntityAsync_Duplicate_Throws409EntityAlreadyExists()
    {
        await using var t = await AzuriteFixture.NewTableAsync();
        await t.Client.AddEntityAsync(new TableEntity("p", "r"));
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => t.Client.AddEntityAsync(new TableEntity("p", "r")));
        Assert.Equal(409, error.Status);
        Assert.Equal("EntityAlreadyExists", error.ErrorCode);
    }

    [Fact]
    public async Task UpdateEntityAsync_StaleETag_Throws412AndKeepsWinner()
    {
        await using var t = await AzuriteFixture.NewTableAsync();
        var original = new TableEntity("p", "r") { ["Stage"] = "None" };
        var etag = await t.Client.AddEntityAsync(original);
        await t.Client.UpdateEntityAsync(new TableEntity("p", "r") { ["Stage"] = "Production" }, etag);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => t.Client.UpdateEntityAsync(new TableEntity("p", "r") { ["Stage"] = "Archived" }, etag));

        Assert.Equal(412, error.Status);
        Assert.Equal("UpdateConditionNotSatisfied", error.ErrorCode);
        Assert.Equal("Production", (await t.Client.GetEntityAsync("p", "r"))!.GetString("Stage"));
    }

    [Fact]
    public async Task UpsertEntityAsync_MergeVersusReplace_KeepsOrDropsOtherProperties()
    {
        await using var t = await AzuriteFixture.NewTableAsync();
        await t.Client.UpsertEntityAsync(new TableEntity("p", "r") { ["A"] = "1", ["B"] = "2" });
        await t.Client.UpsertEntityAsync(new TableEntity("p", "r") { ["A"] = "3" }, TableUpdateMode.Merge);
        Assert.Equal("2", (await t.Client.GetEntityAsync("p", "r"))!.GetString("B"));

        await t.Client.UpsertEntityAsync(new TableEntity("p", "r") { ["A"] = "4" }, TableUpdateMode.Replace);
        var read = await t.Client.GetEntityAsync("p", "r");
        Assert.Equal("4", read!.GetString("A"));
        Assert.False(read.ContainsKey("B"));
    }

    [Fact]
    public async Task DeleteEntityAsync_ConditionalAndMissing_BehaveAsDocumented()
    {
        await using var t = await AzuriteFixture.NewTableAsync();
        var first = await t.Client.AddEntityAsync(new TableEntity("p", "r") { ["v"] = 1 });
        await t.Client.UpsertEntityAsync(new TableEntity("p", "r") { ["v"] = 2 });

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => t.Client.DeleteEntityAsync("p", "r", first));
        Assert.Equal(412, error.Status);
        Assert.True(await t.Client.DeleteEntityAsync("p", "r"));
        Assert.False(await t.Client.DeleteEntityAsync("p", "r"));
        Assert.Null(await t.Client.GetEntityAsync("p", "r"));
    }

    [Theory]
    [InlineData("instance/with\\slashes#and?marks", "row^caret")]
    [InlineData("O'Brien & Söhne", "客户 1+1=2 %20")]
    [InlineData("tab\there", "line\nbreak")]
    public async Task TableKey_ReservedAndUnicodeCharacters_RoundTrip(string partition, string row)
    {
        await using var t = await AzuriteFixture.NewTableAsync();
        var pk = TableKey.Escape(partition);
        var rk = TableKey.Escape(row);
        await t.Client.AddEntityAsync(new TableEntity(pk, rk) { ["v"] = "x" });

        var read = await t.Client.GetEntityAsync(pk, rk);
        var queried = await t.Client.QueryAsync(TableFilter.PartitionKeyEquals(pk)).ToListAsync();

        Assert.Equal("x", read!.GetString("v"));
        Assert.Equal(partition, TableKey.Unescape(Assert.Single(queried).PartitionKey));
        Assert.Equal(row, TableKey.Unescape(queried[0].RowKey));
    }

    [Fact]
    public async Task AddEntityAsync_PropertyOver64KiB_ThrowsNamingTheProperty()
    {
        await using var t = await AzuriteFixture.NewTableAsync();
        var error = await Assert.ThrowsAsync<ArgumentException>(() => t.Client.AddEntityAsync(new TableEntity("p", "r") { ["Payload"] = new string('x', 40_000) }));
        Assert.Contains("'Payload'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddEntityAsync_EntityOver1MiB_ThrowsBeforeSending()
    {
        await using var t = await AzuriteFixture.NewTableAsync();
        var entity = new TableEntity("p", "r");
        for (var i = 0; i < 20; i++)
        {
            entity[$"Chunk{i}"] = new string('y', 30_000);
        }

        var error = await Assert.ThrowsAsync<ArgumentException>(() => t.Client.AddEntityAsync(entity));
        Assert.Contains("1 MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Indexer_UnsupportedType_Throws()
    {
        var entity = new TableEntity("p", "r");
        Assert.Throws<ArgumentException>(() => entity["x"] = new object());
    }
}
