using ChurnFlows.Durable.Hub;
using ChurnFlows.Durable.Tests.Conformance;

namespace ChurnFlows.Durable.Tests.Hub;

public sealed class InMemoryTaskHubTests : TaskHubConformanceTests
{
    protected override Task<ITaskHub> CreateHubAsync(TimeProvider clock) => Task.FromResult<ITaskHub>(new InMemoryTaskHub(clock));
}
