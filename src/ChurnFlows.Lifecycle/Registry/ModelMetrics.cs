using ChurnFlows.ML.Evaluation;

namespace ChurnFlows.Lifecycle.Registry;

/// <summary>A model's holdout figures, as the registry and the promotion gate see them.</summary>
/// <param name="AreaUnderRocCurve">ROC-AUC.</param>
/// <param name="AreaUnderPrecisionRecallCurve">PR-AUC.</param>
/// <param name="Precision">Precision at the model's threshold.</param>
/// <param name="Recall">Recall at the model's threshold.</param>
/// <param name="F1Score">F1 at the model's threshold.</param>
/// <param name="LogLoss">Log loss.</param>
/// <param name="Threshold">The decision threshold.</param>
/// <param name="Count">Holdout rows.</param>
public sealed record ModelMetrics(double AreaUnderRocCurve, double AreaUnderPrecisionRecallCurve, double Precision, double Recall, double F1Score, double LogLoss, double Threshold, int Count)
{
    /// <summary>Summarizes an evaluation report.</summary>
    public static ModelMetrics From(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(report.AreaUnderRocCurve, report.AreaUnderPrecisionRecallCurve, report.Precision, report.Recall, report.F1Score, report.LogLoss, report.Threshold, report.Count);
    }
}
