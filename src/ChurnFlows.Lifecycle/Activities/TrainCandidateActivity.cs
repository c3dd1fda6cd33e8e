using ChurnFlows.Durable;
using ChurnFlows.Lifecycle.Orchestration;
using ChurnFlows.Lifecycle.Registry;
using ChurnFlows.Lifecycle.Training;
using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Features;
using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Lifecycle.Activities;

/// <summary>
/// Trains the final model with the study's best parameters, saves it as <c>churn-models/{version}.cfm</c>
/// and registers it (stage None). When the best trial ran in this process its model is the final model
/// (training is deterministic for a seed on any thread count, so a second fit would give the same trees)
/// and is packaged without refitting. The version comes from the orchestration, so a repeat finds the saved
/// artifact and returns its metrics instead of training a second model.
/// </summary>
public sealed class TrainCandidateActivity(LifecycleServices services) : TaskActivity<CandidateRequest, ModelMetrics>
{
    /// <inheritdoc />
    public override async Task<ModelMetrics> RunAsync(TaskActivityContext context, CandidateRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var ct = context.CancellationToken;
        ModelArtifact artifact;
        if (await services.Containers.Models.GetBlobClient($"{input.Version}.cfm").ExistsAsync(ct).ConfigureAwait(false))
        {
            artifact = await services.Models.LoadAsync(input.Version, ct).ConfigureAwait(false);
        }
        else
        {
            var settings = input.Settings;
            var (state, _) = await services.Trials.LoadAsync(input.Study, StudyDirection.Maximize, settings.Seed, ct).ConfigureAwait(false);
            var study = new Study(state);
            var best = study.BestTrial;
            var gold = await services.Gold.LoadAsync(input.Gold.BlobName, ct).ConfigureAwait(false);
            var silver = await services.Gold.LoadSilverAsync(input.Gold.DatasetSha256, ct).ConfigureAwait(false);
            var pipeline = FeaturePipeline.Fit(silver.SelectRows(gold.Train.Rows));
            var training = new TrainingService(settings.ToTrainingOptions());
            var lineage = new ModelLineage { DatasetSha256 = input.Gold.DatasetSha256, DatasetVersion = input.Gold.DatasetSha256[..12], RunId = input.RunId, Parameters = TrainingService.Describe(best) };
            artifact = services.Objectives.TrialModel(input.Study, best.Number) is { } trained
                ? training.PackageCandidate(silver.Schema, pipeline, gold, trained, input.Version, lineage)
                : training.FitCandidate(silver.Schema, pipeline, gold, training.CreateObjective(gold, Environment.ProcessorCount).TrainerOptions(study.GetTrial(best.Number)), input.Version, lineage);
            await services.Models.SaveAsync(artifact, ct).ConfigureAwait(false);
        }

        var metrics = ModelMetrics.From(artifact.Metrics!);
        await services.Registry.RegisterAsync(new ModelRecord { Version = artifact.Version, CreatedAt = artifact.CreatedAt, RunId = input.RunId, DatasetSha256 = input.Gold.DatasetSha256, Metrics = metrics }, ct).ConfigureAwait(false);
        return metrics;
    }
}
