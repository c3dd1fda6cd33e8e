namespace ChurnFlows.ML.Trees;

/// <content>The trainer's hyperparameters.</content>
public sealed partial class GbdtBinaryTrainer
{
    /// <summary>
    /// Hyperparameters, named as in ML.NET's LightGBM trainer, with LightGBM's own numeric defaults
    /// (not ML.NET's "auto" values): 100 iterations, learning rate 0.1, 31 leaves, 20 rows per leaf,
    /// hessian 1e-3 per leaf, no regularization, 255 bins.
    /// </summary>
    public sealed class Options
    {
        /// <summary>Gets or sets the number of boosting iterations (trees); LightGBM's <c>num_iterations</c>. Default 100.</summary>
        public int NumberOfIterations { get; set; } = 100;

        /// <summary>Gets or sets the shrinkage applied to every tree's output (<c>learning_rate</c>). Default 0.1.</summary>
        public double LearningRate { get; set; } = 0.1;

        /// <summary>Gets or sets the most leaves per tree (<c>num_leaves</c>), 2..131072. Default 31.</summary>
        public int NumberOfLeaves { get; set; } = 31;

        /// <summary>Gets or sets the fewest training rows a leaf may hold (<c>min_data_in_leaf</c>; counted exactly). Default 20.</summary>
        public int MinimumExampleCountPerLeaf { get; set; } = 20;

        /// <summary>Gets or sets the smallest hessian sum a leaf may hold (<c>min_sum_hessian_in_leaf</c>). Default 1e-3.</summary>
        public double MinimumSumHessianPerLeaf { get; set; } = 1e-3;

        /// <summary>Gets or sets the L1 penalty on leaf outputs (<c>lambda_l1</c>). Default 0.</summary>
        public double L1Regularization { get; set; }

        /// <summary>Gets or sets the L2 penalty on leaf outputs (<c>lambda_l2</c>). Default 0.</summary>
        public double L2Regularization { get; set; }

        /// <summary>Gets or sets the smallest gain a split must add (<c>min_gain_to_split</c>). Default 0.</summary>
        public double MinimumGainToSplit { get; set; }

        /// <summary>Gets or sets the deepest a leaf may be; ≤ 0 means no limit (<c>max_depth</c>). Default −1. Growth stays leaf-wise either way.</summary>
        public int MaximumDepth { get; set; } = -1;

        /// <summary>Gets or sets the most value bins per feature (<c>max_bin</c>), 2..255; missing values get a bin of their own on top. Default 255.</summary>
        public int MaximumBinCountPerFeature { get; set; } = 255;

        /// <summary>Gets or sets the share of features each tree may use (<c>feature_fraction</c>), (0, 1]. Default 1.</summary>
        public double FeatureFraction { get; set; } = 1.0;

        /// <summary>Gets or sets the share of rows kept by each bagging draw (<c>bagging_fraction</c>), (0, 1]. Default 1.</summary>
        public double BaggingFraction { get; set; } = 1.0;

        /// <summary>Gets or sets how often (in iterations) rows are re-drawn; 0 disables bagging (<c>bagging_freq</c>). Default 0.</summary>
        public int BaggingFrequency { get; set; }

        /// <summary>Gets or sets the weight multiplier of positive rows (<c>scale_pos_weight</c>). Default 1. Values ≠ 1 distort probabilities.</summary>
        public double PositiveClassWeight { get; set; } = 1.0;

        /// <summary>
        /// Gets or sets how many iterations without improvement of the validation metric stop training;
        /// 0 turns early stopping off (<c>early_stopping_round</c>). Needs a validation set. When it stops,
        /// the trees after the best iteration are dropped. Default 0.
        /// </summary>
        public int EarlyStoppingRounds { get; set; }

        /// <summary>Gets or sets the validation metric for early stopping and the iteration callback; null means log loss (LightGBM's default for binary).</summary>
        public GbdtValidationMetric? ValidationMetric { get; set; }

        /// <summary>
        /// Gets or sets a callback invoked after every iteration (on the training thread), e.g. to report
        /// to a tuner and prune; it can stop training with <see cref="GbdtIterationContext.Stop"/>.
        /// </summary>
        public Action<GbdtIterationContext>? IterationCallback { get; set; }

        /// <summary>Gets or sets the seed for binning samples, bagging and feature sampling. Same seed and data, same model, on any thread count. Default 0.</summary>
        public int Seed { get; set; }

        /// <summary>Gets or sets the number of threads; null uses every core. Default null.</summary>
        public int? NumberOfThreads { get; set; }

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
            Require(MaximumBinCountPerFeature is >= 2 and <= 255, MaximumBinCountPerFeature, nameof(MaximumBinCountPerFeature), "must be between 2 and 255");
            Require(FeatureFraction is > 0 and <= 1, FeatureFraction, nameof(FeatureFraction), "must be in (0, 1]");
            Require(BaggingFraction is > 0 and <= 1, BaggingFraction, nameof(BaggingFraction), "must be in (0, 1]");
            Require(BaggingFrequency >= 0, BaggingFrequency, nameof(BaggingFrequency), "must be ≥ 0");
            Require(PositiveClassWeight > 0 && double.IsFinite(PositiveClassWeight), PositiveClassWeight, nameof(PositiveClassWeight), "must be a positive number");
            Require(EarlyStoppingRounds >= 0, EarlyStoppingRounds, nameof(EarlyStoppingRounds), "must be ≥ 0");
            Require(NumberOfThreads is null or >= 1, NumberOfThreads, nameof(NumberOfThreads), "must be at least 1 (or null for all cores)");
        }

        /// <summary>Returns a shallow copy (callbacks and metric are shared).</summary>
        public Options Clone() => (Options)MemberwiseClone();

        private static void Require<T>(bool condition, T value, string name, string rule)
        {
            if (!condition)
            {
                throw new ArgumentOutOfRangeException(name, value, $"Option '{name}' {rule}; got {value}.");
            }
        }
    }
}
