using ChurnFlows.Lifecycle.Tuning;
using ChurnFlows.TestKit;
using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Lifecycle.Tests.Tuning;

public class TrialStoreTests
{
    [Fact]
    public async Task SaveThenLoad_TrialWithALongCurve_RoundTripsAcrossSeveralProperties()
    {
        // 3,000 rounds reported every round: about 90,000 characters of JSON, three times one property's limit.
        await using var table = await AzuriteFixture.NewTableAsync();
        var store = new TrialStore(table.Client);
        var curve = new SortedDictionary<int, double>();
        for (var step = 1; step <= 3_000; step++)
        {
            curve[step] = 0.9 + (0.05 * (1 - Math.Exp(-step / 300.0))) + (step * 1e-9);
        }

        var trial = new FrozenTrial { Number = 0, State = TrialState.Complete, Value = 0.95, IntermediateValues = curve };
        Assert.True(await store.AddAsync("study-a", [trial with { State = TrialState.Running, Value = null, IntermediateValues = [] }], wave: 0));
        await store.SaveAsync("study-a", trial, wave: 0);

        var (state, waves) = await store.LoadAsync("study-a", StudyDirection.Maximize, seed: 1);

        var loaded = Assert.Single(state.Trials);
        Assert.Equal(TrialState.Complete, loaded.State);
        Assert.Equal(curve, loaded.IntermediateValues);
        Assert.Equal(0, waves[0]);
    }

    [Fact]
    public async Task Save_TrialBeyondTheRowLimit_FailsNamingTheTrialAndTheFix()
    {
        await using var table = await AzuriteFixture.NewTableAsync();
        var store = new TrialStore(table.Client);
        var curve = new SortedDictionary<int, double>();
        for (var step = 1; step <= 40_000; step++)
        {
            curve[step] = 0.123456789012345 + step;
        }

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => store.SaveAsync("study-b", new FrozenTrial { Number = 3, IntermediateValues = curve }, wave: 1));

        Assert.Contains("Trial 3 of study 'study-b'", e.Message, StringComparison.Ordinal);
        Assert.Contains("MaximumIterations", e.Message, StringComparison.Ordinal);
    }
}
