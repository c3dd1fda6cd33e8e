using ChurnFlows.Durable;
using ChurnFlows.Lifecycle.Monitoring;

namespace ChurnFlows.Lifecycle.Activities;

/// <summary>Runs one drift check with the configured settings (or those given).</summary>
public sealed class CheckDriftActivity(LifecycleServices services) : TaskActivity<DriftMonitorSettings?, DriftCheck>
{
    /// <inheritdoc />
    public override Task<DriftCheck> RunAsync(TaskActivityContext context, DriftMonitorSettings? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        return services.Drift.CheckAsync(input ?? services.Options.Drift, services.Time.GetUtcNow(), context.CancellationToken);
    }
}
