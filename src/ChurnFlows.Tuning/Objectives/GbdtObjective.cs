using System.Globalization;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Evaluation;
using ChurnFlows.ML.Trees;
using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Tuning.Objectives;

/// <summary>What one GBDT trial achieved.</summary>
/// <param name="AreaUnderRocCurve">The best validation ROC-AUC.</param>
/// <param name="BestIteration">The boosting round it was reached at.</param>
/// <param name="Pruned">Whether the pruner stopped the trial.</param>
/// <param name="Parameters">The trainer settings used.</param>
/// <param name="Model">The trained model (for a pruned trial, as far as it got): the same model a fresh fit with <see cref="GbdtObjective.TrainerOptions"/> gives, since training is deterministic.</param>
public sealed record GbdtTrialResult(double AreaUnderRocCurve, int BestIteration, bool Pruned, IReadOnlyDictionary<string, string> Parameters, GbdtModel Model);

/// <summary>
/// Tunes the GBDT: a trial's parameters set the trainer options; every <see cref="Options.ReportEvery"/>
/// rounds the validation ROC-AUC is reported to the study (maximize) and the pruner consulted; training
/// early-stops on the validation ROC-AUC. Works with define-by-run trials and with trials whose
/// parameters were pre-sampled by <see cref="Study.AskBatch"/> over <see cref="DefaultSearchSpace"/>.
/// </summary>
public sealed class GbdtObjective
{
    private readonly FeatureMatrix _train;
    private readonly float[] _trainLabels;
    private readonly FeatureMatrix _validation;
    private readonly float[] _validationLabels;
    private readonly Options _options;
    private readonly Lazy<BinnedTrainingData> _binned;

    /// <summary>Creates the objective over fixed training and validation data (binned once, on the first trial, for every trial).</summary>
    public GbdtObjective(FeatureMatrix train, float[] trainLabels, FeatureMatrix validation, float[] validationLabels, Options? options = null)
    {
        _train = train ?? throw new ArgumentNullException(nameof(train));
        _trainLabels = trainLabels ?? throw new ArgumentNullException(nameof(trainLabels));
        _validation = validation ?? throw new ArgumentNullException(nameof(validation));
        _validationLabels = validationLabels ?? throw new ArgumentNullException(nameof(validationLabels));
        _options = options ?? new Options();
        _binned = new Lazy<BinnedTrainingData>(() => new GbdtBinaryTrainer(new GbdtBinaryTrainer.Options { Seed = _options.Seed, NumberOfThreads = _options.NumberOfThreads }).Bin(_train, _validation));
    }

    /// <summary>Objective settings.</summary>
    public sealed record Options
    {
        /// <summary>Gets the most boosting rounds per trial.</summary>
        public int MaximumIterations { get; init; } = 500;

        /// <summary>Gets the early-stopping patience in rounds (25: the validation AUC plateau is flat at the default learning rates).</summary>
        public int EarlyStoppingRounds { get; init; } = 25;

        /// <summary>
        /// Gets how often (rounds) the validation AUC is reported for pruning (1, like Optuna's LightGBM and
        /// XGBoost callbacks): a hopeless trial stops at its first report below the median, not ten rounds later.
        /// </summary>
        public int ReportEvery { get; init; } = 1;

        /// <summary>Gets the training threads per trial (null: all cores).</summary>
        public int? NumberOfThreads { get; init; }

        /// <summary>Gets the search space (names as in <see cref="DefaultSearchSpace"/>; a name left out keeps the trainer default).</summary>
        public IReadOnlyDictionary<string, ParameterDistribution> SearchSpace { get; init; } = DefaultSearchSpace;

        /// <summary>Gets the seed of bagging and feature sampling.</summary>
        public int Seed { get; init; } = 42;

        /// <summary>Gets the deepest a tree may grow (-1: no limit, LightGBM's default).</summary>
        public int MaximumDepth { get; init; } = -1;
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

    /// <summary>Runs a trial and returns its value (the best validation ROC-AUC); throws <see cref="TrialPrunedException"/> when pruned.</summary>
    public double Evaluate(Trial trial)
    {
        var result = Run(trial);
        return result.Pruned ? throw new TrialPrunedException($"Trial {trial.Number} pruned at AUC {result.AreaUnderRocCurve:F4}.") : result.AreaUnderRocCurve;
    }

    /// <summary>Runs a trial, reporting and consulting the pruner; returns what it achieved (pruned trials included).</summary>
    public GbdtTrialResult Run(Trial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var options = TrainerOptions(trial);
        var pruned = false;
        options.ValidationMetric = new GbdtValidationMetric("AUC", (labels, scores) => BinaryClassificationEvaluator.AreaUnderRocCurve(scores, labels), HigherIsBetter: true);
        options.IterationCallback = context =>
        {
            if ((context.Iteration + 1) % _options.ReportEvery != 0 || context.ValidationMetric is not { } auc)
            {
                return;
            }

            trial.Report(auc, context.Iteration + 1);
            if (trial.ShouldPrune())
            {
                pruned = true;
                context.Stop();
            }
        };
        var model = new GbdtBinaryTrainer(options).Fit(_binned.Value, _trainLabels, default, _validationLabels);
        var probabilities = model.PredictProbabilities(_validation);
        var value = BinaryClassificationEvaluator.AreaUnderRocCurve(probabilities, _validationLabels);
        return new GbdtTrialResult(value, model.BestIteration, pruned, Describe(options), model);
    }

    /// <summary>Maps a trial's parameters (suggesting any of the search space not yet set) to trainer options.</summary>
    public GbdtBinaryTrainer.Options TrainerOptions(Trial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return new GbdtBinaryTrainer.Options
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

    private static Dictionary<string, string> Describe(GbdtBinaryTrainer.Options o) => new(StringComparer.Ordinal)
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
