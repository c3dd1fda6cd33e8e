using ChurnFlows.Storage.Emulator;

namespace ChurnFlows.Storage.Tests.Emulator;

public class AzuriteProcessTests
{
    [Fact]
    public async Task StartAsync_FreePorts_ServesAllThreeThenStopsOnDispose()
    {
        var azurite = await AzuriteProcess.StartAsync(new AzuriteOptions());
        var ports = new[] { azurite.BlobPort, azurite.QueuePort, azurite.TablePort };
        var account = StorageAccount.FromConnectionString(azurite.ConnectionString);
        Assert.True(await account.BlobServiceClient.GetBlobContainerClient("probe").CreateIfNotExistsAsync());
        Assert.True(await account.QueueServiceClient.GetQueueClient("probe").CreateIfNotExistsAsync());
        Assert.True(await account.TableServiceClient.GetTableClient("probe").CreateIfNotExistsAsync());

        await azurite.DisposeAsync();

        foreach (var port in ports)
        {
            Assert.False(await AzuriteProcess.IsListeningAsync(port));
        }
    }

    [Fact]
    public async Task StartAsync_InMemoryPersistence_ServesQueueMessages()
    {
        await using var azurite = await AzuriteProcess.StartAsync(new AzuriteOptions { InMemoryPersistence = true });
        var queue = StorageAccount.FromConnectionString(azurite.ConnectionString).QueueServiceClient.GetQueueClient("probe");
        await queue.CreateIfNotExistsAsync();

        await queue.SendMessageAsync("kept in memory");

        Assert.Equal("kept in memory", Assert.Single(await queue.ReceiveMessagesAsync()).Body);
    }

    [Fact]
    public async Task EnsureInstalledAsync_NoManifest_ThrowsSayingWhatIsMissing()
    {
        var empty = Directory.CreateTempSubdirectory().FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(empty, "package.json"), "{\"name\":\"x\",\"private\":true}");
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => AzuriteInstaller.EnsureInstalledAsync(empty));
            Assert.Contains("azurite", error.Message, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }
}
