using ChurnFlows.Lifecycle.Registry;

namespace ChurnFlows.Lifecycle.Monitoring;

/// <summary>
/// One logged prediction: enough to recompute drift against the model's reference, and to compare models
/// served side by side (the canary) by version and stage.
/// </summary>
/// <param name="At">When it was served.</param>
/// <param name="ModelVersion">The model that served it.</param>
/// <param name="CustomerId">The customer.</param>
/// <param name="Probability">The churn probability.</param>
/// <param name="Features">The model's feature values (NaN for missing), in the pipeline's order.</param>
/// <param name="ModelStage">The model's stage when it answered: Production, or Staging for the canary share (entries logged before canaries existed read as Production).</param>
/// <param name="Weight">
/// How many served predictions the entry stands for: 1, or <c>k</c> while the logger kept one prediction in
/// <c>k</c> at random because traffic was above its rate (entries logged before sampling existed read as 1).
/// </param>
public sealed record PredictionLogEntry(DateTimeOffset At, string ModelVersion, string CustomerId, double Probability, double[] Features, ModelStage ModelStage = ModelStage.Production, int Weight = 1);

/// <summary>A label posted back: whether a customer actually churned.</summary>
/// <param name="At">When it was recorded.</param>
/// <param name="CustomerId">The customer.</param>
/// <param name="Churned">The outcome.</param>
public sealed record OutcomeEntry(DateTimeOffset At, string CustomerId, bool Churned);
