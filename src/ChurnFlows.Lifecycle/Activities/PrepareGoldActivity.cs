using ChurnFlows.Durable;
using ChurnFlows.Lifecycle.Training;

namespace ChurnFlows.Lifecycle.Activities;

/// <summary>Input of <see cref="PrepareGoldActivity"/>.</summary>
/// <param name="DatasetSha256">The silver dataset.</param>
/// <param name="Seed">The split's seed.</param>
public sealed record PrepareGoldRequest(string DatasetSha256, int Seed);

/// <summary>Splits and featurizes a silver dataset into <c>churn-gold</c>, once.</summary>
public sealed class PrepareGoldActivity(LifecycleServices services) : TaskActivity<PrepareGoldRequest, GoldReference>
{
    /// <inheritdoc />
    public override Task<GoldReference> RunAsync(TaskActivityContext context, PrepareGoldRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        return services.Gold.PrepareAsync(input.DatasetSha256, input.Seed, context.CancellationToken);
    }
}
