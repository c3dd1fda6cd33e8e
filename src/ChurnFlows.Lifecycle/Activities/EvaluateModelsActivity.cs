using ChurnFlows.Durable;
using ChurnFlows.Lifecycle.Orchestration;
using ChurnFlows.Lifecycle.Registry;
using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Evaluation;

namespace ChurnFlows.Lifecycle.Activities;

/// <summary>
/// Scores the candidate and the current champion on the same holdout rows, each through its own
/// feature pipeline and at its own threshold, so the gate compares like with like. A champion trained on
/// another schema (it needs columns this dataset lacks) cannot be compared: its metrics are left out and
/// the gate judges the candidate on the thresholds alone.
/// </summary>
public sealed class EvaluateModelsActivity(LifecycleServices services) : TaskActivity<EvaluationRequest, EvaluationOutcome>
{
    /// <inheritdoc />
    public override async Task<EvaluationOutcome> RunAsync(TaskActivityContext context, EvaluationRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var ct = context.CancellationToken;
        var gold = await services.Gold.LoadAsync(input.Gold.BlobName, ct).ConfigureAwait(false);
        var silver = await services.Gold.LoadSilverAsync(input.Gold.DatasetSha256, ct).ConfigureAwait(false);
        var holdout = silver.SelectRows(gold.Test.Rows);
        var candidate = Score(await services.Models.LoadAsync(input.CandidateVersion, ct).ConfigureAwait(false), holdout);
        var championVersion = await services.Models.GetProductionVersionAsync(ct).ConfigureAwait(false);
        if (championVersion is null || championVersion == input.CandidateVersion)
        {
            return new EvaluationOutcome(candidate, null, null);
        }

        var champion = await services.Models.LoadAsync(championVersion, ct).ConfigureAwait(false);
        var comparable = champion.Pipeline.InputColumns.All(holdout.Columns.ContainsKey);
        return new EvaluationOutcome(candidate, championVersion, comparable ? Score(champion, holdout) : null);
    }

    private static ModelMetrics Score(ModelArtifact model, TabularDataset holdout)
    {
        var probabilities = model.Model.PredictProbabilities(model.Pipeline.Transform(holdout));
        return ModelMetrics.From(BinaryClassificationEvaluator.Evaluate(probabilities, holdout.Labels, model.Threshold));
    }
}
