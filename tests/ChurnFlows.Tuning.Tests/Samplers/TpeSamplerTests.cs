using ChurnFlows.Tuning.Objectives;
using ChurnFlows.Tuning.Pruners;
using ChurnFlows.Tuning.Samplers;
using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Tuning.Tests.Samplers;

public class TpeSamplerTests
{
    private static double BestAfter(ISampler sampler, StandardFunction f, int seed, int trials)
    {
        var study = Study.Create(seed: seed, sampler: sampler, pruner: new NopPruner());
        study.Optimize(f.Objective, trials);
        return study.BestValue;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2;
    }

    [Fact]
    public void Optimize_SameSeed_SameTrials_DifferentSeed_DifferentTrials()
    {
        static List<double> Run(int seed)
        {
            var study = Study.Create(seed: seed);
            study.Optimize(StandardFunctions.Branin, 30);
            return [.. study.State.Trials.Select(t => t.Value!.Value)];
        }

        Assert.Equal(Run(3), Run(3));
        Assert.NotEqual(Run(3), Run(4));
    }

    [Theory]
    [InlineData("branin")]
    [InlineData("hartmann6")]
    [InlineData("rosenbrock4")]
    public void Tpe_BeatsRandomSearch_AtEqualBudget(string name)
    {
        var f = StandardFunctions.All.Single(s => s.Name == name);
        var seeds = Enumerable.Range(0, 9).ToList();
        var tpe = Median(seeds.Select(s => BestAfter(new TpeSampler(), f, s, 80)));
        var random = Median(seeds.Select(s => BestAfter(new RandomSampler(), f, s, 80)));
        Assert.True(tpe - f.Optimum < 0.8 * (random - f.Optimum), $"TPE median regret {tpe - f.Optimum:G4} vs random {random - f.Optimum:G4}");
    }

    [Fact]
    public void Tpe_BandwidthWeightedScoring_BeatsNormalizedScoringOnBranin()
    {
        // The regression behind the gap to Optuna 3.1: scoring with the normalized mixture left the median
        // regret about 2.5x Optuna's; scoring with bandwidth-weighted kernels (Optuna 3.1's) closes it.
        var f = StandardFunctions.All.Single(s => s.Name == "branin");
        var seeds = Enumerable.Range(0, 15).ToList();
        var weighted = Median(seeds.Select(s => BestAfter(new TpeSampler(), f, s, 80))) - f.Optimum;
        var normalized = Median(seeds.Select(s => BestAfter(new TpeSampler(new TpeSampler.Options { WeightKernelsByBandwidth = false }), f, s, 80))) - f.Optimum;

        Assert.True(weighted < 0.7 * normalized, $"median regret {weighted:G4} (bandwidth-weighted) vs {normalized:G4} (normalized)");
    }

    [Fact]
    public void Tpe_Multivariate_FindsBraninBasin()
    {
        var study = Study.Create(seed: 1, sampler: new TpeSampler(new TpeSampler.Options { Multivariate = true }), pruner: new NopPruner());
        var space = new Dictionary<string, ParameterDistribution> { ["x"] = new FloatDistribution(-5, 10), ["y"] = new FloatDistribution(0, 15) };
        for (var i = 0; i < 60; i++)
        {
            var trial = study.AskBatch(1, space)[0];
            study.Tell(trial.Number, StandardFunctions.Branin(trial));
        }

        Assert.True(study.BestValue < 2.0, $"best {study.BestValue}");
    }

    [Fact]
    public void AskBatch_WithConstantLiar_ProposesNoDuplicates()
    {
        var study = Study.Create(seed: 5);
        var space = new Dictionary<string, ParameterDistribution>
        {
            ["leaves"] = new IntDistribution(8, 64, Step: 4),
            ["booster"] = new CategoricalDistribution(["gbdt", "dart"]),
        };
        for (var round = 0; round < 4; round++)
        {
            foreach (var trial in study.AskBatch(4, space))
            {
                study.Tell(trial.Number, (int)trial.Params["leaves"] * (trial.Params["booster"] is "gbdt" ? 1 : 2));
            }
        }

        var keys = study.State.Trials.Select(t => $"{t.Params["leaves"]}/{t.Params["booster"]}").ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.All(study.State.Trials, t => Assert.InRange((int)t.ExternalParams["leaves"], 8, 64));
    }

    [Fact]
    public void SuggestInt_LogAndStep_StayOnTheGrid()
    {
        var study = Study.Create(seed: 2);
        study.Optimize(t => t.SuggestInt("a", 1, 1000, log: true) + t.SuggestInt("b", 0, 100, step: 5) + t.SuggestFloat("c", 1e-5, 1, log: true), 40);
        Assert.All(study.State.Trials, t =>
        {
            Assert.InRange((int)t.ExternalParams["a"], 1, 1000);
            Assert.Equal(0, (int)t.ExternalParams["b"] % 5);
            Assert.InRange((double)t.ExternalParams["c"], 1e-5, 1);
        });
    }
}
