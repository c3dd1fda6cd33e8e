namespace ChurnFlows.Storage.Tests;

public class StorageConnectionStringTests
{
    [Fact]
    public void Parse_DevelopmentStorage_ExpandsToAzuriteDefaults()
    {
        var parsed = StorageConnectionString.Parse("UseDevelopmentStorage=true");
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1", parsed.BlobEndpoint.ToString().TrimEnd('/'));
        Assert.Equal("http://127.0.0.1:10001/devstoreaccount1", parsed.QueueEndpoint.ToString().TrimEnd('/'));
        Assert.Equal("http://127.0.0.1:10002/devstoreaccount1", parsed.TableEndpoint.ToString().TrimEnd('/'));
        Assert.Equal("devstoreaccount1", parsed.Credential!.AccountName);
    }

    [Fact]
    public void Parse_AccountKeyWithSuffix_DerivesEndpoints()
    {
        var parsed = StorageConnectionString.Parse("DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=AAAA;EndpointSuffix=core.chinacloudapi.cn");
        Assert.Equal("https://acme.blob.core.chinacloudapi.cn/", parsed.BlobEndpoint.ToString());
        Assert.Equal("https://acme.table.core.chinacloudapi.cn/", parsed.TableEndpoint.ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("AccountName=acme", "no AccountKey")]
    [InlineData("AccountKey=AAAA", "no AccountName")]
    [InlineData("AccountName=acme;AccountKey=not base64!", "base64")]
    [InlineData("garbage", "Name=Value")]
    [InlineData("UseDevelopmentStorage=yes", "must be 'true'")]
    [InlineData("AccountName=a;AccountKey=AAAA;BlobEndpoint=ftp://x", "BlobEndpoint")]
    [InlineData("AccountName=a;AccountName=b;AccountKey=AAAA", "more than once")]
    [InlineData("DefaultEndpointsProtocol=gopher;AccountName=a;AccountKey=AAAA", "DefaultEndpointsProtocol")]
    public void Parse_Malformed_ThrowsNamingTheProblem(string connectionString, string expected)
    {
        var error = Assert.Throws<FormatException>(() => StorageConnectionString.Parse(connectionString));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromConnectionString_UnreachableEndpoint_FailsInsteadOfHanging()
    {
        var options = new StorageClientOptions();
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(2);
        var account = StorageAccount.FromConnectionString(StorageConnectionString.ForAzurite(1, 1, 1), options);
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<Exception>(() => account.BlobServiceClient.GetBlobContainerClient("nothing").ExistsAsync());
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10));
    }
}
