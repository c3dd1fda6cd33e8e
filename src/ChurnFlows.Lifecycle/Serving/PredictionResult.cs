using System.Text.Json.Serialization;
using ChurnFlows.Lifecycle.Registry;

namespace ChurnFlows.Lifecycle.Serving;

/// <summary>One reason behind a prediction: a feature and how far it pushed the score.</summary>
/// <param name="Feature">The feature name.</param>
/// <param name="Value">The feature's value (null when missing; a categorical feature's code).</param>
/// <param name="Contribution">Its TreeSHAP contribution in log-odds; positive pushes towards churn.</param>
/// <param name="Category">
/// For a categorical feature, the category the value stands for (<c>(other)</c> for one the model did not
/// keep or never saw); absent for other features.
/// </param>
public sealed record PredictionReason(string Feature, double? Value, double Contribution,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Category = null);

/// <summary>A churn prediction for one customer.</summary>
/// <param name="CustomerId">The customer id, if given.</param>
/// <param name="Probability">The churn probability.</param>
/// <param name="WillChurn">Whether the probability reaches the model's decision threshold.</param>
/// <param name="Confidence">How far the probability is from the threshold, scaled to [0, 1].</param>
/// <param name="ModelVersion">The model that answered.</param>
/// <param name="ModelStage">Its stage: Production, or Staging when the customer is in the canary share.</param>
/// <param name="TopReasons">The three strongest reasons (empty when the caller asked for the score only).</param>
public sealed record PredictionResult(string? CustomerId, double Probability, bool WillChurn, double Confidence, string ModelVersion, ModelStage ModelStage, IReadOnlyList<PredictionReason> TopReasons);

/// <summary>A field of a request that could not be used.</summary>
/// <param name="Field">The JSON field (with the row index for batches, e.g. <c>[3].total_spent</c>).</param>
/// <param name="Problem">What is wrong.</param>
public sealed record FieldError(string Field, string Problem);
