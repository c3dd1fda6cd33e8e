using ChurnFlows.Functions.Hosting.Azurite;
using ChurnFlows.TestKit;

namespace ChurnFlows.Functions.Tests.Hosting.Azurite;

public class AzuriteProcessTests
{
    [Fact]
    public async Task StartAsync_FreePorts_ServesAllThreeThenStopsOnDispose()
    {
        var azurite = await AzuriteProcess.StartAsync(new AzuriteOptions());
        var ports = new[] { azurite.BlobPort, azurite.QueuePort, azurite.TablePort };
        var account = AzuriteFixture.Connect(azurite.ConnectionString);
        Assert.NotNull(await account.Blobs.GetBlobContainerClient("probe").CreateIfNotExistsAsync()); // null when it existed
        Assert.NotNull(await account.Queues.GetQueueClient("probe").CreateIfNotExistsAsync());
        Assert.NotNull(await account.Tables.GetTableClient("probe").CreateIfNotExistsAsync());

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
        var queue = AzuriteFixture.Connect(azurite.ConnectionString).Queues.GetQueueClient("probe");
        await queue.CreateIfNotExistsAsync();

        await queue.SendMessageAsync("kept in memory");

        Assert.Equal("kept in memory", Assert.Single((await queue.ReceiveMessagesAsync()).Value).MessageText);
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
