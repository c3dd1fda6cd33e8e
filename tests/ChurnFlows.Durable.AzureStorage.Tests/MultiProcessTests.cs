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

        using var cts = new CancellationTokenSource(Patience);
        IReadOnlyList<string?> owners;
        while ((owners = await scenario.LeaseOwnersAsync()).Distinct().Count(o => o is not null) < 2 || owners.Any(o => o is null))
        {
            await Task.Delay(200, cts.Token);
        }

        Assert.All(owners.GroupBy(o => o), g => Assert.Equal(2, g.Count()));
    }
}
