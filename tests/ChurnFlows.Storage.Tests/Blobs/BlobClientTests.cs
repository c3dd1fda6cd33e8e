using Azure;
using ChurnFlows.Storage.Blobs;
using ChurnFlows.TestKit;

namespace ChurnFlows.Storage.Tests.Blobs;

public class BlobClientTests
{
    [Fact]
    public async Task UploadAsync_ThenDownload_RoundTripsContentAndMetadata()
    {
        await using var c = await AzuriteFixture.NewContainerAsync();
        var blob = c.Client.GetBlobClient("folder/data.csv");
        var info = await blob.UploadAsync(BinaryData.FromString("a,b\n1,2\n"), new BlobUploadOptions { ContentType = "text/csv", Metadata = new Dictionary<string, string> { ["source"] = "test" } });

        var result = await blob.DownloadContentAsync();

        Assert.Equal("a,b\n1,2\n", result.Content.ToString());
        Assert.Equal(info.ETag, result.Properties.ETag);
        Assert.Equal("text/csv", result.Properties.ContentType);
        Assert.Equal("test", result.Properties.Metadata["source"]);
        Assert.Equal(8, (await blob.GetPropertiesAsync()).ContentLength);
    }

    [Fact]
    public async Task UploadAsync_CreateOnlyWhenExists_Throws409BlobAlreadyExists()
    {
        await using var c = await AzuriteFixture.NewContainerAsync();
        var blob = c.Client.GetBlobClient("once");
        await blob.UploadAsync(BinaryData.FromString("1"), new BlobUploadOptions { Conditions = BlobRequestConditions.CreateOnly });

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => blob.UploadAsync(BinaryData.FromString("2"), new BlobUploadOptions { Conditions = BlobRequestConditions.CreateOnly }));

        Assert.Equal(409, error.Status);
        Assert.Equal("BlobAlreadyExists", error.ErrorCode);
        Assert.Equal("1", (await blob.DownloadContentAsync()).Content.ToString());
    }

    [Fact]
    public async Task UploadAsync_StaleETag_Throws412ConditionNotMet()
    {
        await using var c = await AzuriteFixture.NewContainerAsync();
        var blob = c.Client.GetBlobClient("versioned");
        var first = await blob.UploadAsync(BinaryData.FromString("v1"));
        await blob.UploadAsync(BinaryData.FromString("v2"), new BlobUploadOptions { Conditions = new() { IfMatch = first.ETag } });

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => blob.UploadAsync(BinaryData.FromString("v3"), new BlobUploadOptions { Conditions = new() { IfMatch = first.ETag } }));

        Assert.Equal(412, error.Status);
        Assert.Equal("ConditionNotMet", error.ErrorCode);
    }

    [Fact]
    public async Task DownloadContentAsync_Missing_Throws404WithCode()
    {
        await using var c = await AzuriteFixture.NewContainerAsync();
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => c.Client.GetBlobClient("absent").DownloadContentAsync());
        Assert.Equal(404, error.Status);
        Assert.Equal("BlobNotFound", error.ErrorCode);
        Assert.False(await c.Client.GetBlobClient("absent").ExistsAsync());
    }

    [Theory]
    [InlineData("données/été 2026/客户.csv")]
    [InlineData("a b+c&d=e#f?g%h'i.csv")]
    [InlineData("nested/deeper/x;y,z@[1].csv")]
    public async Task UploadAsync_UnicodeAndReservedNames_RoundTripAndList(string name)
    {
        await using var c = await AzuriteFixture.NewContainerAsync();
        await c.Client.GetBlobClient(name).UploadAsync(BinaryData.FromString("x"));

        var listed = await c.Client.GetBlobsAsync().Select(b => b.Name).ToListAsync();

        Assert.Equal([name], listed);
        Assert.Equal("x", (await c.Client.GetBlobClient(name).DownloadContentAsync()).Content.ToString());
    }

    [Fact]
    public async Task SetMetadataAsync_ThenDeleteWithStaleETag_Fails()
    {
        await using var c = await AzuriteFixture.NewContainerAsync();
        var blob = c.Client.GetBlobClient("m");
        var first = await blob.UploadAsync(BinaryData.FromString("x"));
        await blob.SetMetadataAsync(new Dictionary<string, string> { ["stage"] = "silver" });

        Assert.Equal("silver", (await blob.GetPropertiesAsync()).Metadata["stage"]);
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => blob.DeleteIfExistsAsync(new BlobRequestConditions { IfMatch = first.ETag }));
        Assert.Equal(412, error.Status);
        Assert.True(await blob.DeleteIfExistsAsync());
        Assert.False(await blob.DeleteIfExistsAsync());
    }

    [Fact]
    public async Task CopyFromAsync_SameAccount_CopiesContentOnTheServer()
    {
        await using var c = await AzuriteFixture.NewContainerAsync();
        var source = c.Client.GetBlobClient("raw/in.csv");
        await source.UploadAsync(BinaryData.FromString("payload"));
        var target = c.Client.GetBlobClient("bronze/abc.csv");

        await target.CopyFromAsync(source);

        Assert.Equal("payload", (await target.DownloadContentAsync()).Content.ToString());
    }

    [Fact]
    public async Task AppendBlockAsync_SeveralBlocks_Concatenates()
    {
        await using var c = await AzuriteFixture.NewContainerAsync();
        var log = c.Client.GetBlobClient("logs/2026/11/22/13.jsonl");
        Assert.True(await log.CreateAppendBlobIfNotExistsAsync("application/x-ndjson"));
        Assert.False(await log.CreateAppendBlobIfNotExistsAsync());

        await log.AppendBlockAsync(BinaryData.FromString("{\"a\":1}\n"));
        await log.AppendBlockAsync(BinaryData.FromString("{\"a\":2}\n"));

        var result = await log.DownloadContentAsync();
        Assert.Equal("{\"a\":1}\n{\"a\":2}\n", result.Content.ToString());
        Assert.Equal("AppendBlob", result.Properties.BlobType);
        await Assert.ThrowsAsync<ArgumentException>(() => log.AppendBlockAsync(BinaryData.FromBytes(Array.Empty<byte>())));
    }

    [Fact]
    public async Task DownloadRangeAsync_ReadsPiecesWithTheWholeLength()
    {
        await using var c = await AzuriteFixture.NewContainerAsync();
        var blob = c.Client.GetBlobClient("pieces.txt");
        await blob.UploadAsync(BinaryData.FromString("0123456789abcdef"));

        var first = await blob.DownloadRangeAsync(0, 5);
        var middle = await blob.DownloadRangeAsync(5, 5);
        var last = await blob.DownloadRangeAsync(14, 100);

        Assert.Equal(("01234", 0L, 16L), (first.Content.ToString(), first.Offset, first.BlobLength));
        Assert.Equal(("56789", 5L, 16L), (middle.Content.ToString(), middle.Offset, middle.BlobLength));
        Assert.Equal(("ef", 14L, 16L), (last.Content.ToString(), last.Offset, last.BlobLength));
    }

    [Fact]
    public async Task DownloadRangeAsync_MissingBlobOrBadRange_Fails()
    {
        await using var c = await AzuriteFixture.NewContainerAsync();
        var blob = c.Client.GetBlobClient("absent");

        var missing = await Assert.ThrowsAsync<RequestFailedException>(() => blob.DownloadRangeAsync(0, 10));

        Assert.Equal(404, missing.Status);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => blob.DownloadRangeAsync(-1, 10));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => blob.DownloadRangeAsync(0, 0));
    }
}
