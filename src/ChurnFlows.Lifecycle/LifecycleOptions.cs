using ChurnFlows.Lifecycle.Monitoring;
using ChurnFlows.Lifecycle.Orchestration;

namespace ChurnFlows.Lifecycle;

/// <summary>Every lifecycle setting, with the product's defaults (configuration section <c>ChurnFlows</c>).</summary>
public sealed record LifecycleOptions
{
    /// <summary>Gets how retrains tune, train and gate.</summary>
    public RetrainSettings Retrain { get; init; } = new();

    /// <summary>Gets what the drift monitor checks and when it starts a retrain.</summary>
    public DriftMonitorSettings Drift { get; init; } = new();

    /// <summary>Gets whether accepted new data starts a retrain.</summary>
    public bool RetrainOnNewData { get; init; } = true;

    /// <summary>Gets the NCRONTAB schedule of the scheduled retrain (default Sundays 03:00 UTC); empty for none.</summary>
    public string? RetrainSchedule { get; init; } = "0 0 3 * * 0";
}
