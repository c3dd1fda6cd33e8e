using ChurnFlows.Tuning.Pruners;
using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Tuning.Tests.Pruners;

public class PrunerTests
{
    private static FrozenTrial Trial(StudyState state, TrialState s, params double[] curve)
    {
        var t = new FrozenTrial { Number = state.Trials.Count, State = s };
        for (var i = 0; i < curve.Length; i++)
        {
            t.IntermediateValues[i] = curve[i];
        }

        t.Value = s == TrialState.Complete ? curve[^1] : null;
        state.Trials.Add(t);
        return t;
    }

    [Fact]
    public void MedianPruner_WorseThanMedianAtStep_IsPruned_AfterStartupTrials()
    {
        var state = new StudyState { Direction = StudyDirection.Minimize };
        var pruner = new MedianPruner(NumberOfStartupTrials: 3);
        Trial(state, TrialState.Complete, 5, 4, 3);
        Trial(state, TrialState.Complete, 6, 5, 4);
        var early = Trial(state, TrialState.Running, 9, 9);
        Assert.False(pruner.Prune(state, early)); // only 2 completed

        Trial(state, TrialState.Complete, 7, 6, 5);
        var bad = Trial(state, TrialState.Running, 9, 9);       // median at step 1 is 5
        var good = Trial(state, TrialState.Running, 9, 4.5);
        var recovered = Trial(state, TrialState.Running, 4, 9); // best so far (4) beats the median (5)

        Assert.True(pruner.Prune(state, bad));
        Assert.False(pruner.Prune(state, good));
        Assert.False(pruner.Prune(state, recovered));
    }

    [Fact]
    public void MedianPruner_Maximize_WarmupAndInterval()
    {
        var state = new StudyState { Direction = StudyDirection.Maximize };
        for (var i = 0; i < 5; i++)
        {
            Trial(state, TrialState.Complete, 0.7, 0.8, 0.9);
        }

        var low = Trial(state, TrialState.Running, 0.5);
        Assert.True(new MedianPruner().Prune(state, low));
        Assert.False(new MedianPruner(NumberOfWarmupSteps: 1).Prune(state, low));
        var atStep1 = Trial(state, TrialState.Running, 0.5, 0.5);
        Assert.False(new MedianPruner(IntervalSteps: 2).Prune(state, atStep1));
        var nan = Trial(state, TrialState.Running, double.NaN);
        Assert.True(new MedianPruner().Prune(state, nan));
    }

    [Fact]
    public void SuccessiveHalving_KeepsTopQuarterPerRung()
    {
        var state = new StudyState { Direction = StudyDirection.Minimize };
        var pruner = new SuccessiveHalvingPruner(MinimumResource: 1, ReductionFactor: 4);
        var verdicts = new List<bool>();
        foreach (var value in new[] { 0.5, 0.4, 0.6, 0.3, 0.45, 0.2, 0.9, 0.35 })
        {
            var t = Trial(state, TrialState.Running, double.NaN, value); // step 1 = rung 0
            verdicts.Add(pruner.Prune(state, t));
        }

        // k < 4: only the best so far survives; from k = 4 on, the best ⌊k/4⌋.
        Assert.Equal([false, false, true, false, true, false, true, true], verdicts);
    }

    [Fact]
    public void SuccessiveHalving_AutoResource_WaitsForACompletedTrial()
    {
        var state = new StudyState();
        var running = Trial(state, TrialState.Running, 1, 1, 1);
        Assert.False(new SuccessiveHalvingPruner().Prune(state, running));
    }
}
