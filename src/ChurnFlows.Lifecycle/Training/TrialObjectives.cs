using System.Collections.Concurrent;
using System.Globalization;
using ChurnFlows.Lifecycle.Orchestration;
using ChurnFlows.ML.Trees;
using ChurnFlows.Tuning.Objectives;

namespace ChurnFlows.Lifecycle.Training;

/// <summary>
/// The tuning objective of each prepared dataset, kept while trials of its study run in this process, so
/// the gold blob is loaded and binned once per worker rather than once per trial; and the model of each
/// study's best completed trial, so the final training can reuse it when it runs in the same process.
/// </summary>
public sealed class TrialObjectives(GoldDatasetStore gold)
{
    private readonly RecentCache<GbdtObjective> _objectives = new(2);
    private readonly ConcurrentDictionary<string, (int Number, double Value, GbdtModel Model)> _bestModels = new(StringComparer.Ordinal);

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

    /// <summary>Keeps <paramref name="model"/> if trial <paramref name="number"/> is the best completed trial of <paramref name="study"/> seen here (higher value is better).</summary>
    public void OfferCompletedTrial(string study, int number, double value, GbdtModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _bestModels.AddOrUpdate(
            study,
            (number, value, model),
            (_, held) => value > held.Value || (value == held.Value && number < held.Number) ? (number, value, model) : held);
        while (_bestModels.Count > 2 && _bestModels.Keys.FirstOrDefault(k => k != study) is { } other)
        {
            _bestModels.TryRemove(other, out _);
        }
    }

    /// <summary>Returns the model trial <paramref name="number"/> of <paramref name="study"/> trained in this process, if it is the one kept.</summary>
    public GbdtModel? TrialModel(string study, int number) =>
        _bestModels.TryGetValue(study, out var held) && held.Number == number ? held.Model : null;
}
