using ChurnFlows.Tuning.Samplers;
using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Tuning.Tests.Samplers;

public class TpeSplitTests
{
    private static readonly FloatDistribution A = new(0, 100);
    private static readonly FloatDistribution B = new(0, 100);

    private static StudyState History(int count, Func<int, bool> hasB)
    {
        var state = new StudyState { Seed = 1 };
        for (var i = 0; i < count; i++)
        {
            var t = new FrozenTrial { Number = i, State = TrialState.Complete, Value = i };
            t.Params["a"] = i;
            t.Distributions["a"] = A;
            if (hasB(i))
            {
                t.Params["b"] = i;
                t.Distributions["b"] = B;
            }

            state.Trials.Add(t);
        }

        return state;
    }

    [Fact]
    public void Split_ConditionalParameter_RanksAllFinishedTrialsBeforeDroppingThoseWithoutIt()
    {
        // Optuna 3.1: γ(20) = 2 best of all 20 trials go below; they lack "b", so b's good model is the prior alone.
        var state = History(20, i => i >= 2);

        var (below, above) = new TpeSampler().Split(state, current: 99, ["b"], [B]);

        Assert.Empty(below[0]);
        Assert.Equal(Enumerable.Range(2, 18).Select(i => (double)i), above[0]);
    }

    [Fact]
    public void Split_RunningAndPrunedTrials_GoAboveInTrialOrder()
    {
        var state = History(12, _ => true);
        state.Trials[3].State = TrialState.Pruned;
        state.Trials[3].Value = null;
        state.Trials[3].IntermediateValues[4] = -1;
        state.Trials[5].State = TrialState.Running;
        state.Trials[5].Value = null;

        var (below, above) = new TpeSampler().Split(state, current: 11, ["a"], [A]);

        Assert.Equal([0.0], below[0]);
        Assert.Equal([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10], above[0]);
    }

    [Fact]
    public void Split_WithoutConstantLiar_IgnoresRunningTrials()
    {
        var state = History(12, _ => true);
        state.Trials[5].State = TrialState.Running;
        state.Trials[5].Value = null;

        var (_, above) = new TpeSampler(new TpeSampler.Options { ConstantLiar = false }).Split(state, current: 11, ["a"], [A]);

        Assert.DoesNotContain(5.0, above[0]);
    }
}
