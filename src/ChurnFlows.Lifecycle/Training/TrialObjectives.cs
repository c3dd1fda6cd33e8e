using System.Globalization;
using ChurnFlows.Lifecycle.Orchestration;
using ChurnFlows.Tuning.Objectives;

namespace ChurnFlows.Lifecycle.Training;

/// <summary>
/// The tuning objective of each prepared dataset, kept while trials of its study run in this process, so
/// the gold blob is loaded and binned once per worker rather than once per trial.
/// </summary>
public sealed class TrialObjectives(GoldDatasetStore gold)
{
    private readonly RecentCache<GbdtObjective> _objectives = new(2);

    /// <summary>Returns the objective over <paramref name="reference"/> with <paramref name="settings"/>, training with <paramref name="threads"/> threads.</summary>
    public Task<GbdtObjective> GetAsync(GoldReference reference, RetrainSettings settings, int threads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(settings);
        var key = string.Create(CultureInfo.InvariantCulture, $"{reference.BlobName}|{settings.Seed}|{settings.MaximumIterations}|{settings.EarlyStoppingRounds}|{threads}");
        return _objectives.GetAsync(key, async () =>
        {
            var data = await gold.LoadAsync(reference.BlobName, cancellationToken).ConfigureAwait(false);
            return new TrainingService(settings.ToTrainingOptions()).CreateObjective(data, threads);
        });
    }
}
