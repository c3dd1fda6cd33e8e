using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Lifecycle.Tests.Orchestration;

public class TuningTests
{
    [Fact]
    public async Task Tuning_KeepsBatchSizeTrialsInFlight_AndAsksForOneTrialPerFinishedOne()
    {
        var options = LifecycleHost.FastOptions with { Retrain = LifecycleHost.FastOptions.Retrain with { Trials = 10, BatchSize = 3 } };
        await using var host = await LifecycleHost.StartAsync(options);

        await host.IngestAsync(await host.DropAsync("tune.csv", 3_000, seed: 4), startRetrain: true);
        var outcome = await host.WaitForRetrainAsync();

        Assert.Equal("budget", outcome.Tuning.StopReason);
        Assert.Equal(8, outcome.Tuning.Waves);
        var (state, waves) = await host.Services.Trials.LoadAsync(outcome.RunId, StudyDirection.Maximize, options.Retrain.Seed);
        Assert.Equal(10, state.Trials.Count);
        Assert.Equal([0, 0, 0, 1, 2, 3, 4, 5, 6, 7], waves.OrderBy(w => w.Key).Select(w => w.Value));
    }

    [Fact]
    public async Task Plateau_StopsAskingForTrials_AndStillCollectsTheTrialsInFlight()
    {
        // No trial can beat the first completed one by a whole unit of ROC-AUC: once the sampler's ten
        // start-up trials have finished, the study is on a plateau.
        var options = LifecycleHost.FastOptions with { Retrain = LifecycleHost.FastOptions.Retrain with { Trials = 40, BatchSize = 2, PlateauWaves = 1, PlateauTolerance = 1.0 } };
        await using var host = await LifecycleHost.StartAsync(options);

        await host.IngestAsync(await host.DropAsync("plateau.csv", 3_000, seed: 4), startRetrain: true);
        var outcome = await host.WaitForRetrainAsync();

        Assert.True(outcome.Tuning.StopReason.StartsWith("plateau: no improvement in ", StringComparison.Ordinal), $"{outcome.Tuning}");
        var finished = outcome.Tuning.Completed + outcome.Tuning.Pruned + outcome.Tuning.Failed;
        Assert.InRange(finished, 11, 39);
        var (state, _) = await host.Services.Trials.LoadAsync(outcome.RunId, StudyDirection.Maximize, options.Retrain.Seed);
        Assert.Equal(finished, state.Trials.Count);
        Assert.All(state.Trials, t => Assert.NotEqual(TrialState.Running, t.State));
    }
}
