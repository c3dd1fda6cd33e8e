using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Lifecycle.Tuning;

/// <summary>
/// Tuning studies in <c>ChurnTrials</c>: one partition per study, one row per trial (row key = trial
/// number, zero-padded) holding the trial as JSON, its wave, state and value. Each trial writes only its
/// own row, so trials running in parallel never contend; the study is the partition read back in order.
/// A trial's JSON (its intermediate curve reported every round) is split over properties <c>Trial</c>,
/// <c>Trial1</c>, <c>Trial2</c>… of at most <see cref="PartLength"/> characters, under the table's 64 KiB per property.
/// </summary>
public sealed class TrialStore(TableClient table)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The most characters stored in one property (UTF-16: 60,000 bytes, under the 64 KiB limit).</summary>
    public const int PartLength = 30_000;

    // An entity group transaction holds at most 100 operations.
    private const int MaxTransactionActions = 100;

    // 16 parts of 30,000 characters stay under the 1 MiB entity limit with room for the other properties.
    private const int MaximumParts = 16;

    /// <summary>Loads a study's state: every stored trial in number order.</summary>
    public async Task<(StudyState State, IReadOnlyDictionary<int, int> Waves)> LoadAsync(string study, StudyDirection direction, int seed, CancellationToken cancellationToken = default)
    {
        var trials = new List<FrozenTrial>();
        var waves = new Dictionary<int, int>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {study}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var trial = JsonSerializer.Deserialize<FrozenTrial>(ReadJson(e), Json)!;
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
            foreach (var chunk in trials.Chunk(MaxTransactionActions))
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

    private static TableEntity ToEntity(string study, FrozenTrial t, int wave)
    {
        var entity = new TableEntity(study, t.Number.ToString("D5", CultureInfo.InvariantCulture))
        {
            ["Wave"] = wave,
            ["State"] = t.State.ToString(),
            ["Value"] = t.Value,
        };
        var json = JsonSerializer.Serialize(t, Json);
        var parts = (json.Length + PartLength - 1) / PartLength;
        if (parts > MaximumParts)
        {
            throw new InvalidOperationException($"Trial {t.Number} of study '{study}' is {json.Length:N0} characters of JSON ({t.IntermediateValues.Count:N0} intermediate values); a trial row holds at most {MaximumParts * PartLength:N0}. Lower MaximumIterations.");
        }

        for (var part = 0; part < Math.Max(1, parts); part++)
        {
            entity[PartName(part)] = json.Substring(part * PartLength, Math.Min(PartLength, json.Length - (part * PartLength)));
        }

        return entity;
    }

    private static string ReadJson(TableEntity entity)
    {
        var json = new System.Text.StringBuilder(entity.GetString("Trial") ?? throw new InvalidDataException($"Trial row {entity.RowKey} of study '{entity.PartitionKey}' has no Trial property."));
        for (var part = 1; entity.GetString(PartName(part)) is { } more; part++)
        {
            json.Append(more);
        }

        return json.ToString();
    }

    private static string PartName(int part) => part == 0 ? "Trial" : "Trial" + part.ToString(CultureInfo.InvariantCulture);

}
