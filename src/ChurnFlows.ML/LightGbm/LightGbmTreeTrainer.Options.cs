using System.Globalization;
using Microsoft.ML.Trainers.LightGbm;

namespace ChurnFlows.ML.LightGbm;

/// <content>The trainer's hyperparameters.</content>
public sealed partial class LightGbmTreeTrainer
{
    /// <summary>
    /// Hyperparameters, named as in ML.NET's <see cref="LightGbmBinaryTrainer.Options"/>, with LightGBM's own
    /// numeric defaults rather than ML.NET's "auto" ones (100 iterations, learning rate 0.1, 31 leaves, 20 rows and a
    /// hessian of 1e-3 per leaf, no regularization, 255 bins) and a sigmoid of 1, so the raw score is the log-odds.
    /// </summary>
    public sealed record Options
    {
        /// <summary>Gets the number of boosting iterations (<c>num_iterations</c>). Default 100.</summary>
        public int NumberOfIterations { get; init; } = 100;

        /// <summary>Gets the shrinkage of every tree (<c>learning_rate</c>). Default 0.1.</summary>
        public double LearningRate { get; init; } = 0.1;

        /// <summary>Gets the most leaves per tree (<c>num_leaves</c>), 2..131072. Default 31.</summary>
        public int NumberOfLeaves { get; init; } = 31;

        /// <summary>Gets the fewest training rows per leaf (<c>min_data_in_leaf</c>). Default 20.</summary>
        public int MinimumExampleCountPerLeaf { get; init; } = 20;

        /// <summary>Gets the smallest hessian sum per leaf (<c>min_sum_hessian_in_leaf</c>). Default 1e-3.</summary>
        public double MinimumSumHessianPerLeaf { get; init; } = 1e-3;

        /// <summary>Gets the L1 penalty on leaf outputs (<c>lambda_l1</c>). Default 0.</summary>
        public double L1Regularization { get; init; }

        /// <summary>Gets the L2 penalty on leaf outputs (<c>lambda_l2</c>). Default 0.</summary>
        public double L2Regularization { get; init; }

        /// <summary>Gets the smallest gain a split must add (<c>min_gain_to_split</c>). Default 0.</summary>
        public double MinimumGainToSplit { get; init; }

        /// <summary>Gets the deepest a leaf may be; ≤ 0 means no limit (<c>max_depth</c>). Default −1.</summary>
        public int MaximumDepth { get; init; } = -1;

        /// <summary>Gets the most bins per feature (<c>max_bin</c>). Default 255.</summary>
        public int MaximumBinCountPerFeature { get; init; } = 255;

        /// <summary>Gets the share of features each tree may use (<c>feature_fraction</c>), (0, 1]. Default 1.</summary>
        public double FeatureFraction { get; init; } = 1.0;

        /// <summary>Gets the share of rows each bagging draw keeps (<c>bagging_fraction</c>), (0, 1]. Default 1.</summary>
        public double BaggingFraction { get; init; } = 1.0;

        /// <summary>Gets how often (iterations) rows are re-drawn; 0 disables bagging (<c>bagging_freq</c>). Default 0.</summary>
        public int BaggingFrequency { get; init; }

        /// <summary>Gets the weight of positive rows (<c>scale_pos_weight</c>). Default 1. Values ≠ 1 distort probabilities.</summary>
        public double PositiveClassWeight { get; init; } = 1.0;

        /// <summary>
        /// Gets how many iterations without a lower validation log loss end training (<c>early_stopping_round</c>); 0
        /// turns it off. Needs a validation set; the model then ends at the best iteration. Default 0.
        /// </summary>
        /// <remarks>
        /// Log loss, LightGBM's default metric, not ROC-AUC: once the ranking is set, later trees only sharpen the
        /// probabilities, which leaves the AUC exactly tied, and LightGBM stops at the first of tied values, so AUC-based
        /// stopping at low learning rates kept models whose probabilities had barely left the base rate.
        /// </remarks>
        public int EarlyStoppingRounds { get; init; }

        /// <summary>Gets the seed of bagging and feature sampling (<c>seed</c>). Default 0.</summary>
        public int Seed { get; init; }

        /// <summary>
        /// Gets LightGBM's thread count (<c>num_threads</c>). Always explicit: unset, LightGBM's OpenMP takes every core,
        /// which oversubscribes badly when other work shares them.
        /// </summary>
        public required int NumberOfThreads { get; init; }

        /// <summary>Checks every option and throws naming the first one out of range.</summary>
        /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
        public void Validate()
        {
            Require(NumberOfIterations >= 1, NumberOfIterations, nameof(NumberOfIterations), "must be at least 1");
            Require(LearningRate > 0 && double.IsFinite(LearningRate), LearningRate, nameof(LearningRate), "must be a positive number");
            Require(NumberOfLeaves is >= 2 and <= 131072, NumberOfLeaves, nameof(NumberOfLeaves), "must be between 2 and 131072");
            Require(MinimumExampleCountPerLeaf >= 1, MinimumExampleCountPerLeaf, nameof(MinimumExampleCountPerLeaf), "must be at least 1");
            Require(MinimumSumHessianPerLeaf >= 0, MinimumSumHessianPerLeaf, nameof(MinimumSumHessianPerLeaf), "must be ≥ 0");
            Require(L1Regularization >= 0, L1Regularization, nameof(L1Regularization), "must be ≥ 0");
            Require(L2Regularization >= 0, L2Regularization, nameof(L2Regularization), "must be ≥ 0");
            Require(MinimumGainToSplit >= 0, MinimumGainToSplit, nameof(MinimumGainToSplit), "must be ≥ 0");
            Require(MaximumBinCountPerFeature >= 2, MaximumBinCountPerFeature, nameof(MaximumBinCountPerFeature), "must be at least 2");
            Require(FeatureFraction is > 0 and <= 1, FeatureFraction, nameof(FeatureFraction), "must be in (0, 1]");
            Require(BaggingFraction is > 0 and <= 1, BaggingFraction, nameof(BaggingFraction), "must be in (0, 1]");
            Require(BaggingFrequency >= 0, BaggingFrequency, nameof(BaggingFrequency), "must be ≥ 0");
            Require(PositiveClassWeight > 0 && double.IsFinite(PositiveClassWeight), PositiveClassWeight, nameof(PositiveClassWeight), "must be a positive number");
            Require(EarlyStoppingRounds >= 0, EarlyStoppingRounds, nameof(EarlyStoppingRounds), "must be ≥ 0");
            Require(NumberOfThreads >= 1, NumberOfThreads, nameof(NumberOfThreads), "must be at least 1");
        }

        /// <summary>Gets the parameters as LightGBM names them, as sent to it (the artifact records these).</summary>
        public IReadOnlyDictionary<string, string> ToLightGbmParameters(bool validation) => new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["objective"] = "binary",
            ["sigmoid"] = "1",
            ["num_iterations"] = Text(NumberOfIterations),
            ["learning_rate"] = Text(LearningRate),
            ["num_leaves"] = Text(NumberOfLeaves),
            ["min_data_in_leaf"] = Text(MinimumExampleCountPerLeaf),
            ["min_sum_hessian_in_leaf"] = Text(MinimumSumHessianPerLeaf),
            ["lambda_l1"] = Text(L1Regularization),
            ["lambda_l2"] = Text(L2Regularization),
            ["min_gain_to_split"] = Text(MinimumGainToSplit),
            ["max_depth"] = Text(Math.Max(0, MaximumDepth)),
            ["max_bin"] = Text(MaximumBinCountPerFeature),
            ["feature_fraction"] = Text(FeatureFraction),
            ["bagging_fraction"] = Text(BaggingFraction),
            ["bagging_freq"] = Text(BaggingFrequency),
            ["scale_pos_weight"] = Text(PositiveClassWeight),
            ["early_stopping_round"] = Text(validation ? EarlyStoppingRounds : 0),
            ["metric"] = "binary_logloss",
            ["seed"] = Text(Seed),
            ["num_threads"] = Text(NumberOfThreads),
            ["deterministic"] = "true",
            ["force_col_wise"] = "true",
        };

        /// <summary>The same settings as ML.NET's trainer options.</summary>
        internal LightGbmBinaryTrainer.Options ToMlNet(bool validation) => new()
        {
            LabelColumnName = FeatureMatrixDataView.LabelColumn,
            FeatureColumnName = FeatureMatrixDataView.FeaturesColumn,
            NumberOfIterations = NumberOfIterations,
            LearningRate = LearningRate,
            NumberOfLeaves = NumberOfLeaves,
            MinimumExampleCountPerLeaf = MinimumExampleCountPerLeaf,
            MaximumBinCountPerFeature = MaximumBinCountPerFeature,
            WeightOfPositiveExamples = PositiveClassWeight,
            Sigmoid = 1,
            EarlyStoppingRound = validation ? EarlyStoppingRounds : 0,
            EvaluationMetric = LightGbmBinaryTrainer.Options.EvaluateMetricType.Logloss,
            UseCategoricalSplit = false,
            Seed = Seed,
            NumberOfThreads = NumberOfThreads,

            // Same model for a seed on any thread count (TrainCandidate reuses a trial's model for the final one),
            // and no start-up timing of row- against column-wise histograms.
            Deterministic = true,
            ForceColumnWise = true,
            Silent = true,
            Booster = new GradientBooster.Options
            {
                MinimumChildWeight = MinimumSumHessianPerLeaf,
                L1Regularization = L1Regularization,
                L2Regularization = L2Regularization,
                MinimumSplitGain = MinimumGainToSplit,
                MaximumTreeDepth = Math.Max(0, MaximumDepth),
                FeatureFraction = FeatureFraction,
                SubsampleFraction = BaggingFraction,
                SubsampleFrequency = BaggingFrequency,
            },
        };

        private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

        private static void Require<T>(bool condition, T value, string name, string rule)
        {
            if (!condition)
            {
                throw new ArgumentOutOfRangeException(name, value, $"Option '{name}' {rule}; got {value}.");
            }
        }
    }
}
