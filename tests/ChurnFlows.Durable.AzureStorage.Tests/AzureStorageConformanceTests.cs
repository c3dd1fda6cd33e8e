using ChurnFlows.Durable.Hub;
using ChurnFlows.Durable.Tests.Conformance;

namespace ChurnFlows.Durable.AzureStorage.Tests;

/// <summary>The engine's conformance suite against a fresh task hub on Azurite per test.</summary>
public sealed class AzureStorageConformanceTests : TaskHubConformanceTests
{
    protected override async Task<ITaskHub> CreateHubAsync(TimeProvider clock) => await TestHubs.CreateAsync(TestHubs.Options(clock));

    protected override async Task DeleteHubAsync(ITaskHub hub) => await ((AzureStorageTaskHub)hub).DeleteAsync();
}
