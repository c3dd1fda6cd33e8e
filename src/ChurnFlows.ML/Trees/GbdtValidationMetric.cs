namespace ChurnFlows.ML.Trees;

/// <summary>Computes a metric from validation labels and raw scores (log-odds).</summary>
/// <param name="labels">The 0/1 labels.</param>
/// <param name="rawScores">The raw scores, one per label; apply <see cref="GbdtModel.Sigmoid"/> for probabilities.</param>
public delegate double ValidationMetricFunction(ReadOnlySpan<float> labels, ReadOnlySpan<double> rawScores);

/// <summary>A named validation metric and its direction, for early stopping and the iteration callback.</summary>
/// <param name="Name">The metric's name, e.g. <c>LogLoss</c> or <c>AreaUnderRocCurve</c>.</param>
/// <param name="Evaluate">Computes the metric.</param>
/// <param name="HigherIsBetter">Whether larger values are better (true for ROC-AUC, false for log loss).</param>
public sealed record GbdtValidationMetric(string Name, ValidationMetricFunction Evaluate, bool HigherIsBetter)
{
    /// <summary>Gets the mean binary log loss (lower is better), LightGBM's default metric for binary objectives.</summary>
    public static GbdtValidationMetric LogLoss { get; } = new("LogLoss", ComputeLogLoss, HigherIsBetter: false);

    private static double ComputeLogLoss(ReadOnlySpan<float> labels, ReadOnlySpan<double> rawScores)
    {
        if (labels.Length == 0)
        {
            return double.NaN;
        }

        double sum = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            // log(1 + e^-s) for positives and log(1 + e^s) for negatives, computed without overflow.
            var s = labels[i] > 0.5f ? rawScores[i] : -rawScores[i];
            sum += s > 0 ? Math.Log(1 + Math.Exp(-s)) : -s + Math.Log(1 + Math.Exp(s));
        }

        return sum / labels.Length;
    }
}
