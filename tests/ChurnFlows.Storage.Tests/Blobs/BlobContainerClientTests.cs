using ChurnFlows.TestKit;

namespace ChurnFlows.Storage.Tests.Blobs;

public class BlobContainerClientTests
{
    [Fact]
    public async Task GetBlobsAsync_MoreThanOnePage_FollowsMarkers()
    {
        await using var c = await AzuriteFixture.NewContainerAsync();
        await Parallel.ForEachAsync(Enumerable.Range(0, 1_050), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await c.Client.GetBlobClient($"p/{i:D5}").UploadAsync(BinaryData.FromString("x"), cancellationToken: ct));

        var firstPage = await c.Client.GetBlobsPageAsync("p/", null, 1000);
        var all = await c.Client.GetBlobsAsync("p/").ToListAsync();

        Assert.Equal(1000, firstPage.Items.Count);
        Assert.NotNull(firstPage.ContinuationToken);
        Assert.Equal(1_050, all.Count);
        Assert.Equal(1_050, all.Select(b => b.Name).Distinct().Count());
    }

    [Fact]
    public async Task GetBlobsAsync_Prefix_FiltersNames()
    {
        await using var c = await AzuriteFixture.NewContainerAsync();
        await c.Client.GetBlobClient("a/1").UploadAsync(BinaryData.FromString("x"));
        await c.Client.GetBlobClient("b/1").UploadAsync(BinaryData.FromString("x"));

        Assert.Equal(["a/1"], await c.Client.GetBlobsAsync("a/").Select(b => b.Name).ToListAsync());
    }

    [Fact]
    public async Task CreateIfNotExistsAsync_Twice_ReportsOnlyFirstCreation()
    {
        var account = await AzuriteFixture.GetAccountAsync();
        var container = account.BlobServiceClient.GetBlobContainerClient(UniqueName.Lower("c"));
        Assert.True(await container.CreateIfNotExistsAsync());
        Assert.False(await container.CreateIfNotExistsAsync());
        Assert.True(await container.ExistsAsync());
        Assert.True(await container.DeleteIfExistsAsync());
        Assert.False(await container.ExistsAsync());
    }

    [Theory]
    [InlineData("UPPER")]
    [InlineData("ab")]
    [InlineData("double--hyphen")]
    [InlineData("-leading")]
    public async Task GetBlobContainerClient_InvalidName_ThrowsNamingTheRule(string name)
    {
        var account = await AzuriteFixture.GetAccountAsync();
        var error = Assert.Throws<ArgumentException>(() => account.BlobServiceClient.GetBlobContainerClient(name));
        Assert.Contains("not a valid container name", error.Message, StringComparison.Ordinal);
    }
}
