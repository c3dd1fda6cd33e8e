using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using ChurnFlows.Storage.Tables;
using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Lifecycle.Tuning;

/// <summary>
/// Tuning studies in <c>ChurnTrials</c>: one partition per study, one row per trial (row key = trial
/// number, zero-padded) holding the trial as JSON, its wave, state and value. Each trial writes only its
/// own row, so trials running in parallel never contend; the study is the partition read back in order.
/// </summary>
public sealed class TrialStore(TableClient table)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Loads a study's state: every stored trial in number order.</summary>
    public async Task<(StudyState State, IReadOnlyDictionary<int, int> Waves)> LoadAsync(string study, StudyDirection direction, int seed, CancellationToken cancellationToken = default)
    {
        var trials = new List<FrozenTrial>();
        var waves = new Dictionary<int, int>();
        await foreach (var e in table.QueryAsync($"PartitionKey eq '{Escape(study)}'", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var trial = JsonSerializer.Deserialize<FrozenTrial>(e.GetString("Trial")!, Json)!;
            trials.Add(trial);
            waves[trial.Number] = e.GetInt32("Wave") ?? 0;
        }

        trials.Sort((a, b) => a.Number.CompareTo(b.Number));
        for (var i = 0; i < trials.Count; i++)
        {
            if (trials[i].Number != i)
            {
                throw new InvalidDataException($"Study '{study}' in {table.Name} is missing trial {i}.");
            }
        }

        return (new StudyState { Name = study, Direction = direction, Seed = seed, Trials = trials }, waves);
    }

    /// <summary>Adds new trials of one wave atomically. Returns false when another writer added them first.</summary>
    public async Task<bool> AddAsync(string study, IReadOnlyList<FrozenTrial> trials, int wave, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trials);
        try
        {
            foreach (var chunk in trials.Chunk(TableClient.MaxTransactionActions))
            {
                await table.SubmitTransactionAsync([.. chunk.Select(t => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(study, t, wave)))], cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Stores a trial's latest state (replacing the row).</summary>
    public Task SaveAsync(string study, FrozenTrial trial, int wave, CancellationToken cancellationToken = default) =>
        table.UpsertEntityAsync(ToEntity(study, trial, wave), TableUpdateMode.Replace, cancellationToken);

    private static TableEntity ToEntity(string study, FrozenTrial t, int wave) => new(study, t.Number.ToString("D5", CultureInfo.InvariantCulture))
    {
        ["Wave"] = wave,
        ["State"] = t.State.ToString(),
        ["Value"] = t.Value,
        ["Trial"] = JsonSerializer.Serialize(t, Json),
    };

    private static string Escape(string s) => s.Replace("'", "''", StringComparison.Ordinal);
}
