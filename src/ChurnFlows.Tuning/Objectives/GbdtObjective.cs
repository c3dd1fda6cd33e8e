using System.Globalization;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Evaluation;
using ChurnFlows.ML.LightGbm;
using ChurnFlows.ML.Trees;
using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Tuning.Objectives;

/// <summary>What one GBDT trial achieved.</summary>
/// <param name="AreaUnderRocCurve">The validation ROC-AUC of the trial's model.</param>
/// <param name="BestIteration">The trees the model kept (early stopping keeps the best iteration).</param>
/// <param name="Pruned">Whether the pruner stopped the trial.</param>
/// <param name="Parameters">The trainer settings used.</param>
/// <param name="Trained">The trained model (for a pruned trial, its last rung's): the same model a fresh fit with <see cref="GbdtObjective.TrainerOptions"/> and the same budget gives, since training is deterministic.</param>
public sealed record GbdtTrialResult(double AreaUnderRocCurve, int BestIteration, bool Pruned, IReadOnlyDictionary<string, string> Parameters, LightGbmModel Trained)
{
    /// <summary>Gets the trained ensemble in the serving format.</summary>
    public GbdtModel Model => Trained.Model;
}

/// <summary>
/// Tunes the GBDT (LightGBM through ML.NET) with Optuna's semantics: a trial's parameters set the trainer options,
/// and since ML.NET's LightGBM offers no per-iteration callback the trial trains to round budgets (rungs: by default
/// 25 rounds, then the full budget), reporting its validation ROC-AUC at each rung's step and asking the pruner between
/// rungs; LightGBM's early stopping on the validation log loss ends a trial inside a rung. Each rung trains afresh
/// (deterministic, so its first trees are the previous rung's). Works with define-by-run trials and with trials whose
/// parameters were pre-sampled by <see cref="Study.AskBatch"/> over <see cref="DefaultSearchSpace"/>.
/// </summary>
public sealed class GbdtObjective
{
    private readonly FeatureMatrix _validation;
    private readonly float[] _validationLabels;
    private readonly Options _options;
    private readonly Lazy<LightGbmTrainingData> _data;

    /// <summary>Creates the objective over fixed training and validation data (prepared once, on the first trial, for every trial).</summary>
    public GbdtObjective(FeatureMatrix train, float[] trainLabels, FeatureMatrix validation, float[] validationLabels, Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(trainLabels);
        _validation = validation ?? throw new ArgumentNullException(nameof(validation));
        _validationLabels = validationLabels ?? throw new ArgumentNullException(nameof(validationLabels));
        _options = options ?? new Options();
        _data = new Lazy<LightGbmTrainingData>(() => LightGbmTreeTrainer.Prepare(train, trainLabels, validation, validationLabels));
    }

    /// <summary>Objective settings.</summary>
    public sealed record Options
    {
        /// <summary>Gets the most boosting rounds per trial (the last rung's budget).</summary>
        public int MaximumIterations { get; init; } = 500;

        /// <summary>Gets the early-stopping patience in rounds (25: the validation AUC plateau is flat at the default learning rates).</summary>
        public int EarlyStoppingRounds { get; init; } = 25;

        /// <summary>
        /// Gets the round budgets before <see cref="MaximumIterations"/> at which a trial reports and the pruner decides
        /// (those not below the maximum are ignored). One rung at 25 rounds, measured by the <c>tuning-rungs</c>
        /// benchmark (docs/benchmarks.md): TPE studies with it spent 45 % less CPU than without pruning, for a best
        /// validation ROC-AUC 0.0007 lower (about the spread between study seeds); a second rung at 100 cost 28 % more
        /// for no gain (trials that pass 25 rounds mostly early-stop by 100–200, so re-training their first 100 rounds
        /// costs what pruning saves), and a rung at 10 ranks trials by learning rate rather than quality (rank
        /// correlation with the final AUC −0.46).
        /// </summary>
        public IReadOnlyList<int> Rungs { get; init; } = [25];

        /// <summary>Gets LightGBM's threads per trial (explicit: all cores of this worker by default, since fits in a process run one at a time).</summary>
        public int NumberOfThreads { get; init; } = Environment.ProcessorCount;

        /// <summary>Gets the search space (names as in <see cref="DefaultSearchSpace"/>; a name left out keeps the trainer default).</summary>
        public IReadOnlyDictionary<string, ParameterDistribution> SearchSpace { get; init; } = DefaultSearchSpace;

        /// <summary>Gets the seed of bagging and feature sampling.</summary>
        public int Seed { get; init; } = 42;

        /// <summary>Gets the deepest a tree may grow (-1: no limit, LightGBM's default).</summary>
        public int MaximumDepth { get; init; } = -1;

        /// <summary>Gets the round budgets a trial trains to: the rungs below <see cref="MaximumIterations"/>, ascending, then it.</summary>
        public IReadOnlyList<int> Budgets => [.. Rungs.Where(r => r >= 1 && r < MaximumIterations).Order().Distinct().Append(MaximumIterations)];
    }

    /// <summary>
    /// Gets the default search space: learning rate 0.03–0.3 and leaves 8–128 (log scale), min data in leaf,
    /// feature and bagging fractions, L2. Lower rates and more leaves cost several times the rounds per trial
    /// without a better validation AUC on churn data; the positive-class weight (<c>scale_pos_weight</c>) is
    /// left out because ROC-AUC ranks scores and barely moves with it (add it to <see cref="Options.SearchSpace"/> to tune it).
    /// </summary>
    public static IReadOnlyDictionary<string, ParameterDistribution> DefaultSearchSpace { get; } = new Dictionary<string, ParameterDistribution>(StringComparer.Ordinal)
    {
        ["learning_rate"] = new FloatDistribution(0.03, 0.3, Log: true),
        ["num_leaves"] = new IntDistribution(8, 128, Log: true),
        ["min_data_in_leaf"] = new IntDistribution(5, 200, Log: true),
        ["feature_fraction"] = new FloatDistribution(0.5, 1.0),
        ["bagging_fraction"] = new FloatDistribution(0.5, 1.0),
        ["lambda_l2"] = new FloatDistribution(1e-8, 10, Log: true),
    };

    /// <summary>Runs a trial and returns its value (the validation ROC-AUC); throws <see cref="TrialPrunedException"/> when pruned.</summary>
    public double Evaluate(Trial trial)
    {
        var result = Run(trial);
        return result.Pruned ? throw new TrialPrunedException($"Trial {trial.Number} pruned at AUC {result.AreaUnderRocCurve:F4}.") : result.AreaUnderRocCurve;
    }

    /// <summary>Runs a trial rung by rung, reporting and consulting the pruner between rungs; returns what it achieved (pruned trials included).</summary>
    public GbdtTrialResult Run(Trial trial, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var options = TrainerOptions(trial);
        LightGbmModel? fit = null;
        var auc = double.NaN;
        var pruned = false;
        foreach (var budget in _options.Budgets)
        {
            fit = new LightGbmTreeTrainer(options with { NumberOfIterations = budget }).Fit(_data.Value, cancellationToken);
            auc = BinaryClassificationEvaluator.AreaUnderRocCurve(fit.PredictProbabilities(_validation), _validationLabels);
            trial.Report(auc, budget);

            // Fewer trees than the budget: early stopping (or a tree with no split) ended the trial inside this rung.
            if (fit.Iterations < budget || budget == _options.MaximumIterations)
            {
                break;
            }

            if (trial.ShouldPrune())
            {
                pruned = true;
                break;
            }
        }

        return new GbdtTrialResult(auc, fit!.Iterations, pruned, Describe(options), fit);
    }

    /// <summary>Maps a trial's parameters (suggesting any of the search space not yet set) to trainer options for the full budget.</summary>
    public LightGbmTreeTrainer.Options TrainerOptions(Trial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return new LightGbmTreeTrainer.Options
        {
            NumberOfIterations = _options.MaximumIterations,
            EarlyStoppingRounds = _options.EarlyStoppingRounds,
            LearningRate = Number(trial, "learning_rate", 0.1),
            NumberOfLeaves = (int)Number(trial, "num_leaves", 31),
            MaximumDepth = _options.MaximumDepth,
            MinimumExampleCountPerLeaf = (int)Number(trial, "min_data_in_leaf", 20),
            FeatureFraction = Number(trial, "feature_fraction", 1),
            BaggingFraction = Number(trial, "bagging_fraction", 1),
            BaggingFrequency = 1,
            L2Regularization = Number(trial, "lambda_l2", 0),
            PositiveClassWeight = Number(trial, "scale_pos_weight", 1),
            NumberOfThreads = _options.NumberOfThreads,
            Seed = _options.Seed,
        };
    }

    private double Number(Trial trial, string name, double fallback) =>
        _options.SearchSpace.TryGetValue(name, out var distribution) ? Convert.ToDouble(trial.Suggest(name, distribution), CultureInfo.InvariantCulture) : fallback;

    private static Dictionary<string, string> Describe(LightGbmTreeTrainer.Options o) => new(StringComparer.Ordinal)
    {
        ["LearningRate"] = o.LearningRate.ToString("G4", CultureInfo.InvariantCulture),
        ["NumberOfLeaves"] = o.NumberOfLeaves.ToString(CultureInfo.InvariantCulture),
        ["MinimumExampleCountPerLeaf"] = o.MinimumExampleCountPerLeaf.ToString(CultureInfo.InvariantCulture),
        ["FeatureFraction"] = o.FeatureFraction.ToString("G4", CultureInfo.InvariantCulture),
        ["BaggingFraction"] = o.BaggingFraction.ToString("G4", CultureInfo.InvariantCulture),
        ["L2Regularization"] = o.L2Regularization.ToString("G4", CultureInfo.InvariantCulture),
        ["PositiveClassWeight"] = o.PositiveClassWeight.ToString("G4", CultureInfo.InvariantCulture),
    };
}
