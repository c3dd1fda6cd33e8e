using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using ChurnFlows.Functions.Hosting;
using ChurnFlows.Functions.Hosting.Standalone;
using ChurnFlows.TestKit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChurnFlows.Functions.Tests.Hosting;

public class StorageConnectionSettingTests
{
    [Fact]
    public void Read_AccountNameWithManagedIdentity_IsIdentityBased_OnTheAccountsEndpoints()
    {
        // What infra/app/function.bicep sets: no account key anywhere.
        var setting = StorageConnectionSetting.Read(Config(new()
        {
            ["AzureWebJobsStorage__accountName"] = "stchurn42",
            ["AzureWebJobsStorage__credential"] = "managedidentity",
            ["AzureWebJobsStorage__clientId"] = "00000000-0000-0000-0000-000000000042",
        }), "AzureWebJobsStorage");

        Assert.Null(setting.ConnectionString);
        Assert.Equal(new Uri("https://stchurn42.blob.core.windows.net"), setting.BlobServiceUri);
        Assert.Equal(new Uri("https://stchurn42.queue.core.windows.net"), setting.QueueServiceUri);
        Assert.Equal(new Uri("https://stchurn42.table.core.windows.net"), setting.TableServiceUri);
        Assert.True(setting.ManagedIdentity);
        Assert.Equal("00000000-0000-0000-0000-000000000042", setting.ClientId);
    }

    [Fact]
    public void Read_ServiceUris_WinOverTheAccountName_AndWithoutCredentialUseTheDefaultChain()
    {
        var setting = StorageConnectionSetting.Read(Config(new()
        {
            ["Archive__accountName"] = "ignored",
            ["Archive__blobServiceUri"] = "https://archive.blob.core.usgovcloudapi.net",
            ["Archive__queueServiceUri"] = "https://archive.queue.core.usgovcloudapi.net",
            ["Archive__tableServiceUri"] = "https://archive.table.core.usgovcloudapi.net",
        }), "Archive");

        Assert.Equal(new Uri("https://archive.blob.core.usgovcloudapi.net"), setting.BlobServiceUri);
        Assert.Equal(new Uri("https://archive.table.core.usgovcloudapi.net"), setting.TableServiceUri);
        Assert.False(setting.ManagedIdentity);
        Assert.Null(setting.ClientId);
    }

    [Fact]
    public void Read_ConnectionString_WinsOverIdentitySettings()
    {
        var setting = StorageConnectionSetting.Read(Config(new() { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true", ["AzureWebJobsStorage__accountName"] = "stchurn42" }), "AzureWebJobsStorage");

        Assert.Equal("UseDevelopmentStorage=true", setting.ConnectionString);
        Assert.Null(setting.BlobServiceUri);
    }

    [Fact]
    public void Read_NothingSet_FallsBack_OrNamesWhatToSet()
    {
        Assert.Same(StorageConnectionSetting.DevelopmentStorage, StorageConnectionSetting.Read(Config([]), "AzureWebJobsStorage", StorageConnectionSetting.DevelopmentStorage));
        var error = Assert.Throws<InvalidOperationException>(() => new StorageConnections(AzuriteFixture.Connect("UseDevelopmentStorage=true"), Config([])).Get("Archive"));
        Assert.Equal("Storage connection 'Archive' is not set: set Archive to a connection string, or Archive__accountName (identity-based).", error.Message);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__blobServiceUri", "https://a.blob.core.windows.net", "needs blob, queue and table endpoints: set AzureWebJobsStorage__accountName, or all of")]
    [InlineData("AzureWebJobsStorage__blobServiceUri", "not a uri", "Setting AzureWebJobsStorage__blobServiceUri must be an absolute http(s) URI (got 'not a uri')")]
    [InlineData("AzureWebJobsStorage__credential", "clientsecret", "Setting AzureWebJobsStorage__credential must be 'managedidentity' or absent (got 'clientsecret')")]
    public void Read_IncompleteOrBadIdentitySettings_NameTheSetting(string key, string value, string expected)
    {
        var values = new Dictionary<string, string?> { [key] = value };
        if (key.EndsWith("credential", StringComparison.Ordinal))
        {
            values["AzureWebJobsStorage__accountName"] = "stchurn42";
        }

        var error = Assert.Throws<InvalidOperationException>(() => ChurnFlowsSettings.From(Config(values)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("connection string", "http://127.0.0.1:10000/devstoreaccount1", "http://127.0.0.1:10001/devstoreaccount1", "http://127.0.0.1:10002/devstoreaccount1")]
    [InlineData("account name", "https://stchurn42.blob.core.windows.net/", "https://stchurn42.queue.core.windows.net/", "https://stchurn42.table.core.windows.net/")]
    [InlineData("service URIs", "https://b.example.net/", "https://q.example.net/", "https://t.example.net/")]
    [InlineData("service URIs and a managed identity", "https://b.example.net/", "https://q.example.net/", "https://t.example.net/")]
    public void AddClients_EachFormOfTheSetting_RegistersTheSdkClientsOnItsEndpoints(string form, string blob, string queue, string table)
    {
        var values = form switch
        {
            "connection string" => new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" },
            "account name" => new() { ["AzureWebJobsStorage__accountName"] = "stchurn42", ["AzureWebJobsStorage__credential"] = "managedidentity" },
            _ => new() { ["AzureWebJobsStorage__blobServiceUri"] = blob, ["AzureWebJobsStorage__queueServiceUri"] = queue, ["AzureWebJobsStorage__tableServiceUri"] = table },
        };
        if (form.EndsWith("managed identity", StringComparison.Ordinal))
        {
            values["AzureWebJobsStorage__credential"] = "managedidentity";
            values["AzureWebJobsStorage__clientId"] = "00000000-0000-0000-0000-000000000042";
        }

        var services = StorageConnectionSetting.Read(Config(values), "AzureWebJobsStorage").AddClients(new ServiceCollection()).BuildServiceProvider();

        Assert.Equal(new Uri(blob), services.GetRequiredService<BlobServiceClient>().Uri);
        Assert.Equal(new Uri(queue), services.GetRequiredService<QueueServiceClient>().Uri);
        Assert.Equal(new Uri(table).GetLeftPart(UriPartial.Path).TrimEnd('/'), services.GetRequiredService<TableServiceClient>().Uri.GetLeftPart(UriPartial.Path).TrimEnd('/'));
    }

    /// <summary>Environment-variable style keys (<c>__</c>), as the Functions host and the app read them.</summary>
    private static IConfiguration Config(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(kv => kv.Key.Replace("__", ":", StringComparison.Ordinal), kv => kv.Value)).Build();
}
