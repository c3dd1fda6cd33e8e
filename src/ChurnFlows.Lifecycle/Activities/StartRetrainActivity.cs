using ChurnFlows.Durable;
using ChurnFlows.Lifecycle.Orchestration;

namespace ChurnFlows.Lifecycle.Activities;

/// <summary>Starts the singleton retrain (refused while one runs). Orchestrations cannot start unrelated instances themselves, so they ask this activity.</summary>
public sealed class StartRetrainActivity(LifecycleServices services) : TaskActivity<StartRetrainRequest, StartRetrainResult>
{
    /// <inheritdoc />
    public override Task<StartRetrainResult> RunAsync(TaskActivityContext context, StartRetrainRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        return services.StartRetrainAsync(input, context.CancellationToken);
    }
}
