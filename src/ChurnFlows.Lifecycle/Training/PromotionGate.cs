using System.Globalization;
using ChurnFlows.Lifecycle.Registry;

namespace ChurnFlows.Lifecycle.Training;

/// <summary>
/// The promotion gate: absolute thresholds on the candidate's holdout metrics, and no regression beyond
/// a tolerance against the champion measured on the same holdout. Pure, so orchestrators may call it.
/// </summary>
public static class PromotionGate
{
    /// <summary>Decides whether <paramref name="candidate"/> may replace <paramref name="champion"/> (null: none yet).</summary>
    public static PromotionDecision Decide(ModelMetrics candidate, ModelMetrics? champion, PromotionThresholds thresholds, double maximumRegression)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(thresholds);
        var checks = new List<(bool Ok, string Text)>
        {
            (candidate.AreaUnderRocCurve >= thresholds.MinimumAreaUnderRocCurve, Text($"ROC-AUC {candidate.AreaUnderRocCurve:F4} vs minimum {thresholds.MinimumAreaUnderRocCurve:F2}")),
            (candidate.Recall >= thresholds.MinimumRecall, Text($"recall {candidate.Recall:F3} vs minimum {thresholds.MinimumRecall:F2}")),
            (candidate.Precision >= thresholds.MinimumPrecision, Text($"precision {candidate.Precision:F3} vs minimum {thresholds.MinimumPrecision:F2}")),
        };
        if (champion is not null)
        {
            checks.Add((candidate.AreaUnderRocCurve >= champion.AreaUnderRocCurve - maximumRegression,
                Text($"ROC-AUC {candidate.AreaUnderRocCurve:F4} vs champion {champion.AreaUnderRocCurve:F4} on the same holdout (tolerance {maximumRegression:F3})")));
        }

        return new PromotionDecision(checks.TrueForAll(c => c.Ok), [.. checks.Select(c => (c.Ok ? "pass: " : "FAIL: ") + c.Text)]);
    }

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
