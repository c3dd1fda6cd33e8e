namespace ChurnFlows.ML.Linear;

/// <content>The trainer's hyperparameters.</content>
public sealed partial class LogisticRegressionBinaryTrainer
{
    /// <summary>Hyperparameters of the L2-regularized logistic regression baseline.</summary>
    public sealed class Options
    {
        /// <summary>
        /// Gets or sets λ in the objective <c>mean weighted log loss + λ/2·‖w‖²</c> (the intercept is not
        /// penalized; weights are on standardized features). Default 1e-4.
        /// </summary>
        public double L2Regularization { get; set; } = 1e-4;

        /// <summary>Gets or sets the most Newton iterations. Default 50.</summary>
        public int MaximumNumberOfIterations { get; set; } = 50;

        /// <summary>Gets or sets the convergence tolerance: stop when the largest gradient entry falls below it. Default 1e-7.</summary>
        public double OptimizationTolerance { get; set; } = 1e-7;

        /// <summary>Gets or sets the number of threads; null uses every core. Results do not depend on it.</summary>
        public int? NumberOfThreads { get; set; }

        /// <summary>Checks every option and throws naming the first one out of range.</summary>
        /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
        public void Validate()
        {
            if (!(L2Regularization >= 0) || !double.IsFinite(L2Regularization))
            {
                throw new ArgumentOutOfRangeException(nameof(L2Regularization), L2Regularization, $"Option 'L2Regularization' must be finite and ≥ 0; got {L2Regularization}.");
            }

            if (MaximumNumberOfIterations < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(MaximumNumberOfIterations), MaximumNumberOfIterations, $"Option 'MaximumNumberOfIterations' must be at least 1; got {MaximumNumberOfIterations}.");
            }

            if (!(OptimizationTolerance > 0))
            {
                throw new ArgumentOutOfRangeException(nameof(OptimizationTolerance), OptimizationTolerance, $"Option 'OptimizationTolerance' must be positive; got {OptimizationTolerance}.");
            }

            if (NumberOfThreads is < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(NumberOfThreads), NumberOfThreads, $"Option 'NumberOfThreads' must be at least 1 (or null for all cores); got {NumberOfThreads}.");
            }
        }

        /// <summary>Returns a copy.</summary>
        public Options Clone() => (Options)MemberwiseClone();
    }
}
