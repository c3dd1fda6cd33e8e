using ChurnFlows.ML.Features;
using ChurnFlows.ML.Synthetic;
using ChurnFlows.Tuning.Objectives;
using ChurnFlows.Tuning.Pruners;
using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Tuning.Tests.Objectives;

public class GbdtObjectiveTests
{
    private static GbdtObjective Objective(int? threads = null)
    {
        var data = SyntheticChurnGenerator.Generate(new() { Rows = 4_000, Seed = 3 });
        var split = DatasetSplit.Stratified(data.Labels, seed: 3);
        var train = data.SelectRows(split.Train);
        var valid = data.SelectRows(split.Validation);
        var pipeline = FeaturePipeline.Fit(train);
        return new GbdtObjective(pipeline.Transform(train), train.Labels, pipeline.Transform(valid), valid.Labels, new GbdtObjective.Options { MaximumIterations = 120, EarlyStoppingRounds = 20, NumberOfThreads = threads });
    }

    [Fact]
    public void Optimize_WithMedianPruner_ReportsCurvesAndFindsAGoodModel()
    {
        var study = Study.Create(StudyDirection.Maximize, seed: 7, pruner: new MedianPruner(NumberOfStartupTrials: 3));

        study.Optimize(Objective().Evaluate, 12);

        Assert.True(study.BestValue > 0.85, $"best validation AUC {study.BestValue:F4}");
        Assert.All(study.State.Trials, t => Assert.NotEmpty(t.IntermediateValues));
        Assert.All(study.State.Trials.Where(t => t.State == TrialState.Pruned), t => Assert.True(t.LastStep < 120));
        Assert.Contains("learning_rate", study.BestParams.Keys);
    }

    [Fact]
    public void Run_CompletedTrialOnOneThread_ModelEqualsAFreshFitWithItsOptionsOnTwo()
    {
        // The final training may reuse the best trial's model instead of fitting again: that is only right if they are the same trees.
        var data = SyntheticChurnGenerator.Generate(new() { Rows = 4_000, Seed = 3 });
        var split = DatasetSplit.Stratified(data.Labels, seed: 3);
        var (train, valid) = (data.SelectRows(split.Train), data.SelectRows(split.Validation));
        var pipeline = FeaturePipeline.Fit(train);
        var (xTrain, xValid) = (pipeline.Transform(train), pipeline.Transform(valid));
        var study = Study.Create(StudyDirection.Maximize, seed: 4, pruner: new NopPruner());
        var trial = study.AskBatch(1, GbdtObjective.DefaultSearchSpace)[0];

        var result = Objective(threads: 1).Run(trial);
        var options = Objective(threads: 2).TrainerOptions(trial);
        options.ValidationMetric = new ML.Trees.GbdtValidationMetric("AUC", (l, s) => ML.Evaluation.BinaryClassificationEvaluator.AreaUnderRocCurve(s, l), HigherIsBetter: true);
        var fresh = new ML.Trees.GbdtBinaryTrainer(options).Fit(xTrain, train.Labels, default, xValid, valid.Labels);

        Assert.False(result.Pruned);
        Assert.Equal(fresh.ToJson(), result.Model.ToJson());
    }

    [Fact]
    public void Run_PresampledBatchTrial_UsesItsParameters()
    {
        var study = Study.Create(StudyDirection.Maximize, seed: 1, pruner: new NopPruner());
        var trial = study.AskBatch(1, GbdtObjective.DefaultSearchSpace)[0];
        var leaves = (int)trial.Params["num_leaves"];

        var result = Objective().Run(trial);

        Assert.Equal(leaves.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Parameters["NumberOfLeaves"]);
        Assert.InRange(result.AreaUnderRocCurve, 0.6, 1.0);
        Assert.False(result.Pruned);
    }

    [Fact]
    public void Run_DefaultOptions_ReportsEveryRoundSoPruningCanStopAtTheFirstBadRound()
    {
        var study = Study.Create(StudyDirection.Maximize, seed: 2, pruner: new NopPruner());
        var trial = study.Ask();

        Objective().Run(trial);

        var steps = study.State.Trials[0].IntermediateValues.Keys.ToList();
        Assert.InRange(steps[0], 1, 2);
        Assert.Equal(Enumerable.Range(steps[0], steps.Count), steps);
    }

    [Fact]
    public void DefaultSearchSpace_SamplesRatesAndLeavesOnALogScaleWithinBudgetFriendlyRanges()
    {
        Assert.Equal(new FloatDistribution(0.03, 0.3, Log: true), GbdtObjective.DefaultSearchSpace["learning_rate"]);
        Assert.Equal(new IntDistribution(8, 128, Log: true), GbdtObjective.DefaultSearchSpace["num_leaves"]);
        Assert.DoesNotContain("scale_pos_weight", GbdtObjective.DefaultSearchSpace.Keys);
    }
}
