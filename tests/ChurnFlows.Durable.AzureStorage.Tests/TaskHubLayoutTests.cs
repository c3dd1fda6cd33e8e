using ChurnFlows.Durable.Hub;
using ChurnFlows.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ChurnFlows.Durable.AzureStorage.Tests;

public sealed class TaskHubLayoutTests
{
    [Fact]
    public void Names_FollowTheDurableFunctionsLayout()
    {
        var layout = new TaskHubLayout("My-Hub", 4);
        Assert.Equal(["my-hub-control-00", "my-hub-control-01", "my-hub-control-02", "my-hub-control-03"], layout.ControlQueues);
        Assert.Equal("my-hub-workitems", layout.WorkItemQueue);
        Assert.Equal("MyHubHistory", layout.HistoryTable);
        Assert.Equal("MyHubInstances", layout.InstancesTable);
        Assert.Equal("my-hub-largemessages", layout.LargeMessagesContainer);
        Assert.Equal("my-hub-leases", layout.LeasesContainer);
    }

    [Fact]
    public void PartitionOf_IsFnv1aOfTheUtf8Id_AndSpreadsInstances()
    {
        var layout = new TaskHubLayout("hub", 4);
        Assert.Equal((int)(0xE40C292Cu % 4), layout.PartitionOf("a")); // FNV-1a("a") = 0xE40C292C
        var counts = Enumerable.Range(0, 4000).GroupBy(i => layout.PartitionOf($"instance-{i}")).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(4, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 800, 1200));
    }

    [Fact]
    public void EscapeKey_ReplacesCharactersTablesForbid()
    {
        Assert.Equal("a^0b^1c^2d^3e^^f^u0007", TaskHubLayout.EscapeKey("a/b\\c#d?e^f\a"));
        Assert.NotEqual(TaskHubLayout.EscapeKey("a^0"), TaskHubLayout.EscapeKey("a/"));
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("1hub")]
    [InlineData("hub_name")]
    [InlineData("hub-")]
    [InlineData("my--hub")]
    public void Options_InvalidHubName_IsRejectedNamingTheRule(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => new AzureStorageTaskHub("UseDevelopmentStorage=true", new AzureStorageTaskHubOptions { TaskHubName = name }));
        Assert.Contains("letters, digits or hyphens", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_PartitionCountOutOfRange_IsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new AzureStorageTaskHub("UseDevelopmentStorage=true", new AzureStorageTaskHubOptions { TaskHubName = "hub", PartitionCount = 17 }));

    [Fact]
    public async Task AddAzureStorageTaskHub_ReplacesTheInMemoryHub()
    {
        var services = new ServiceCollection()
            .AddDurableTask(_ => { })
            .AddAzureStorageTaskHub(new AzureStorageTaskHubOptions { TaskHubName = "hub" }, "UseDevelopmentStorage=true");
        await using var provider = services.BuildServiceProvider();
        Assert.IsType<AzureStorageTaskHub>(provider.GetRequiredService<ITaskHub>());
        Assert.Same(provider.GetRequiredService<AzureStorageTaskHub>(), provider.GetRequiredService<ITaskHub>());
    }

    [Fact]
    public async Task AddAzureStorageTaskHub_WithoutConnectionString_UsesTheServiceClientsRegistered()
    {
        var counter = new StorageOperationCounter();
        var storage = await TestStorage.ConnectAsync(counter);
        var services = new ServiceCollection()
            .AddSingleton(storage.Blobs)
            .AddSingleton(storage.Queues)
            .AddSingleton(storage.Tables)
            .AddAzureStorageTaskHub(TestHubs.Options() with { PartitionCount = 1 });
        await using var provider = services.BuildServiceProvider();
        var hub = provider.GetRequiredService<AzureStorageTaskHub>();

        await hub.CreateIfNotExistsAsync();
        await hub.DeleteAsync();

        // Creating and deleting the control queue, the tables and the leases container went through the registered clients.
        foreach (var resource in new[] { "*-control", "Tables", "*-leases" })
        {
            Assert.Contains(counter.ByKind, k => k.Key.EndsWith(resource, StringComparison.Ordinal));
        }
    }
}
