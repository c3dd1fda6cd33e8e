using Xunit;

namespace ChurnFlows.Durable.AzureStorage.Tests;

/// <summary>Worker processes sharing one hub: partitions split between them and all work completes.</summary>
public sealed class MultiProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task TwoWorkerProcesses_SplitThePartitions_AndFinishAllWork()
    {
        await using var scenario = await MultiProcessScenario.CreateAsync();
        await using var first = await scenario.StartWorkerAsync();
        await using var second = await scenario.StartWorkerAsync();
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await scenario.Client.ScheduleNewOrchestrationInstanceAsync("FanOut", 20));
        }

        foreach (var id in ids)
        {
            Assert.Equal(210L, (await scenario.WaitAsync(id, Patience)).ReadOutputAs<long>());
        }

        // Rebalancing moves one partition at a time, so wait for the settled split rather than the first snapshot.
        var deadline = DateTime.UtcNow + Patience;
        IReadOnlyList<string?> owners;
        while (!IsEvenSplit(owners = await scenario.LeaseOwnersAsync()) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.True(IsEvenSplit(owners), $"partition owners: {string.Join(", ", owners.Select(o => o ?? "(none)"))}");
    }

    private static bool IsEvenSplit(IReadOnlyList<string?> owners) =>
        owners.All(o => o is not null) && owners.GroupBy(o => o).Count() == 2 && owners.GroupBy(o => o).All(g => g.Count() == 2);
}
