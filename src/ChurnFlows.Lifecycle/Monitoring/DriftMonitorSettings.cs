using ChurnFlows.ML.Drift;

namespace ChurnFlows.Lifecycle.Monitoring;

/// <summary>What the drift monitor looks at and when it asks for a retrain.</summary>
public sealed record DriftMonitorSettings
{
    /// <summary>Gets how far back prediction logs and outcomes are read, in hours.</summary>
    public double WindowHours { get; init; } = 24;

    /// <summary>Gets the fewest logged predictions that make a drift measurement.</summary>
    public int MinimumPredictions { get; init; } = 200;

    /// <summary>Gets the PSI at or above which a feature has drifted.</summary>
    public double PsiDrift { get; init; } = 0.25;

    /// <summary>Gets the KS statistic at or above which a feature has drifted.</summary>
    public double KsDrift { get; init; } = 0.2;

    /// <summary>Gets how many drifted features trigger a retrain.</summary>
    public int MinimumDriftedFeatures { get; init; } = 1;

    /// <summary>Gets the model age, in days, that triggers a retrain (0: never).</summary>
    public double MaximumModelAgeDays { get; init; } = 30;

    /// <summary>Gets whether a newer accepted dataset than the model's triggers a retrain.</summary>
    public bool RetrainOnNewData { get; init; }

    /// <summary>Gets the ROC-AUC on labelled outcomes below which a retrain starts.</summary>
    public double MinimumLabelledAreaUnderRocCurve { get; init; } = 0.80;

    /// <summary>Gets the fewest labelled outcomes (with both classes) that make a performance measurement.</summary>
    public int MinimumLabelledOutcomes { get; init; } = 100;

    /// <summary>Gets the NCRONTAB schedule of the monitor's timer.</summary>
    public string Schedule { get; init; } = "0 0 * * * *";

    /// <summary>The detector's thresholds these settings give: drift at <see cref="PsiDrift"/> or <see cref="KsDrift"/>, measured from <see cref="MinimumPredictions"/> on.</summary>
    public DriftOptions ToDriftOptions() => new() { PsiDrift = PsiDrift, KsDrift = KsDrift, MinimumCount = MinimumPredictions };
}
