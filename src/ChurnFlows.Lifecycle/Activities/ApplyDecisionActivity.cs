using ChurnFlows.Durable;
using ChurnFlows.Lifecycle.Orchestration;

namespace ChurnFlows.Lifecycle.Activities;

/// <summary>Records the gate's verdict on the candidate and, when it passed, promotes it (the previous Production version is archived). Returns the Production version afterwards.</summary>
public sealed class ApplyDecisionActivity(LifecycleServices services) : TaskActivity<DecisionRequest, string?>
{
    /// <inheritdoc />
    public override async Task<string?> RunAsync(TaskActivityContext context, DecisionRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var ct = context.CancellationToken;
        await services.Registry.RecordDecisionAsync(input.Version, input.Promote, input.Reasons, ct).ConfigureAwait(false);
        if (input.Promote)
        {
            await services.Registry.PromoteAsync(input.Version, $"run {input.RunId}: gates passed", ct).ConfigureAwait(false);
        }

        return await services.Models.GetProductionVersionAsync(ct).ConfigureAwait(false);
    }
}
