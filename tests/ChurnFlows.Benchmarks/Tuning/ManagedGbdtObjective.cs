using ChurnFlows.ML.Data;
using ChurnFlows.ML.Evaluation;
using ChurnFlows.ML.Trees;
using ChurnFlows.Tuning.Objectives;
using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Benchmarks.Tuning;

/// <summary>
/// Version 1's tuning objective over the managed trainer, kept only so that <c>tuning-gbdt</c> can run it beside the
/// product's LightGBM objective until the managed trainer is deleted: the product objective's settings per trial, the
/// validation ROC-AUC reported every round (the managed trainer has an iteration callback) and the pruner consulted
/// each time; early stopping on the validation ROC-AUC. <paramref name="seed"/> is the product objective's.
/// </summary>
internal sealed class ManagedGbdtObjective(GbdtObjective product, int seed, FeatureMatrix train, float[] trainLabels, FeatureMatrix validation, float[] validationLabels)
{
    private readonly Lazy<BinnedTrainingData> _binned = new(() => new GbdtBinaryTrainer(new GbdtBinaryTrainer.Options { Seed = seed }).Bin(train, validation));

    /// <summary>Runs a trial and returns its value (the validation ROC-AUC); throws <see cref="TrialPrunedException"/> when pruned.</summary>
    public double Evaluate(Trial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var options = TrainerOptions(trial);
        var pruned = false;
        options.IterationCallback = context =>
        {
            if (context.ValidationMetric is not { } auc)
            {
                return;
            }

            trial.Report(auc, context.Iteration);
            if (trial.ShouldPrune())
            {
                pruned = true;
                context.Stop();
            }
        };
        var model = new GbdtBinaryTrainer(options).Fit(_binned.Value, trainLabels, default, validationLabels);
        var value = BinaryClassificationEvaluator.AreaUnderRocCurve(model.PredictProbabilities(validation), validationLabels);
        return pruned ? throw new TrialPrunedException($"Trial {trial.Number} pruned at AUC {value:F4}.") : value;
    }

    /// <summary>The product objective's settings for this trial, as the managed trainer's options (early stopping on the validation ROC-AUC).</summary>
    public GbdtBinaryTrainer.Options TrainerOptions(Trial trial)
    {
        var o = product.TrainerOptions(trial);
        return new GbdtBinaryTrainer.Options
        {
            NumberOfIterations = o.NumberOfIterations, EarlyStoppingRounds = o.EarlyStoppingRounds, LearningRate = o.LearningRate,
            NumberOfLeaves = o.NumberOfLeaves, MaximumDepth = o.MaximumDepth, MinimumExampleCountPerLeaf = o.MinimumExampleCountPerLeaf,
            FeatureFraction = o.FeatureFraction, BaggingFraction = o.BaggingFraction, BaggingFrequency = o.BaggingFrequency,
            L2Regularization = o.L2Regularization, PositiveClassWeight = o.PositiveClassWeight, NumberOfThreads = o.NumberOfThreads, Seed = o.Seed,
            ValidationMetric = new GbdtValidationMetric("AUC", (labels, scores) => BinaryClassificationEvaluator.AreaUnderRocCurve(scores, labels), HigherIsBetter: true),
        };
    }
}
