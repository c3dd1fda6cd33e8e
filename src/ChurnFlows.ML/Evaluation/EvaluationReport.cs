namespace ChurnFlows.ML.Evaluation;

/// <summary>One calibration bin: predicted versus observed churn rate.</summary>
/// <param name="Lower">The bin's lower probability bound.</param>
/// <param name="Upper">The bin's upper probability bound.</param>
/// <param name="Count">Rows in the bin.</param>
/// <param name="MeanPredicted">Mean predicted probability.</param>
/// <param name="ObservedRate">Share of positives.</param>
public sealed record CalibrationBin(double Lower, double Upper, int Count, double MeanPredicted, double ObservedRate);

/// <summary>Counts of a binary decision at one threshold.</summary>
/// <param name="TruePositives">Churners flagged.</param>
/// <param name="FalsePositives">Stayers flagged.</param>
/// <param name="TrueNegatives">Stayers not flagged.</param>
/// <param name="FalseNegatives">Churners missed.</param>
public sealed record ConfusionMatrix(int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives);

/// <summary>How well a churn model ranks and classifies a labelled set. JSON-serializable.</summary>
public sealed record EvaluationReport
{
    /// <summary>Gets the number of rows evaluated.</summary>
    public int Count { get; init; }

    /// <summary>Gets the share of positives.</summary>
    public double PositiveRate { get; init; }

    /// <summary>Gets the ROC-AUC.</summary>
    public double AreaUnderRocCurve { get; init; }

    /// <summary>Gets the PR-AUC (average precision).</summary>
    public double AreaUnderPrecisionRecallCurve { get; init; }

    /// <summary>Gets the decision threshold the threshold metrics use.</summary>
    public double Threshold { get; init; }

    /// <summary>Gets precision at <see cref="Threshold"/>.</summary>
    public double Precision { get; init; }

    /// <summary>Gets recall at <see cref="Threshold"/>.</summary>
    public double Recall { get; init; }

    /// <summary>Gets F1 at <see cref="Threshold"/>.</summary>
    public double F1Score { get; init; }

    /// <summary>Gets accuracy at <see cref="Threshold"/>.</summary>
    public double Accuracy { get; init; }

    /// <summary>Gets the mean log loss (probabilities clipped to [1e-15, 1 - 1e-15]).</summary>
    public double LogLoss { get; init; }

    /// <summary>Gets the Brier score.</summary>
    public double BrierScore { get; init; }

    /// <summary>Gets the best precision reachable with recall at least 0.80.</summary>
    public double PrecisionAtRecall80 { get; init; }

    /// <summary>Gets the threshold that maximizes F1.</summary>
    public double F1OptimalThreshold { get; init; }

    /// <summary>Gets the threshold that minimizes expected cost.</summary>
    public double CostOptimalThreshold { get; init; }

    /// <summary>Gets the expected cost per row at <see cref="CostOptimalThreshold"/>.</summary>
    public double CostPerRowAtOptimum { get; init; }

    /// <summary>Gets the confusion matrix at <see cref="Threshold"/>.</summary>
    public required ConfusionMatrix ConfusionMatrix { get; init; }

    /// <summary>Gets the 10-bin calibration table.</summary>
    public required IReadOnlyList<CalibrationBin> Calibration { get; init; }
}
