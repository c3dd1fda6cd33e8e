namespace ChurnFlows.ML.Trees;

/// <summary>
/// What the trainer reports after each boosting iteration to <see cref="GbdtBinaryTrainer.Options.IterationCallback"/>.
/// The callback may call <see cref="Stop"/> (e.g. a tuner's pruner); training then ends after this iteration.
/// </summary>
public sealed class GbdtIterationContext
{
    private readonly double[]? _validationRawScores;

    internal GbdtIterationContext(int iteration, string metricName, double? validationMetric, double[]? validationRawScores, int bestIteration, double? bestMetric)
    {
        Iteration = iteration;
        MetricName = metricName;
        ValidationMetric = validationMetric;
        _validationRawScores = validationRawScores;
        BestIteration = bestIteration;
        BestValidationMetric = bestMetric;
    }

    /// <summary>Gets the 1-based iteration just finished (= the number of trees so far).</summary>
    public int Iteration { get; }

    /// <summary>Gets the validation metric's name.</summary>
    public string MetricName { get; }

    /// <summary>Gets the validation metric after this iteration; null without a validation set.</summary>
    public double? ValidationMetric { get; }

    /// <summary>Gets the best iteration so far (by the validation metric; the current one without validation).</summary>
    public int BestIteration { get; }

    /// <summary>Gets the best validation metric so far; null without a validation set.</summary>
    public double? BestValidationMetric { get; }

    /// <summary>
    /// Gets the validation rows' raw scores after this iteration (empty without a validation set).
    /// The buffer is the trainer's own: read it during the callback, copy it to keep it.
    /// </summary>
    public ReadOnlySpan<double> ValidationRawScores => _validationRawScores;

    /// <summary>Gets whether <see cref="Stop"/> was called.</summary>
    public bool StopRequested { get; private set; }

    /// <summary>Asks the trainer to stop after this iteration, keeping the trees so far.</summary>
    public void Stop() => StopRequested = true;
}
