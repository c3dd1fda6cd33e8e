using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace ChurnFlows.Lifecycle.Registry;

/// <summary>
/// The model registry in <c>ChurnModels</c>: one row per version (partition <c>model</c>) with stage,
/// metrics, lineage and decision, and one row per stage change (partition <c>history</c>). Promotion
/// changes the new and the old Production rows and a marker row naming the Production version in one entity
/// group transaction guarded by their ETags (the marker is added by the first promotion, so a second one racing
/// it conflicts too), so promotions racing each other cannot leave two Production versions; then it moves the
/// serving pointer.
/// Staging (the canary) is in <c>ModelRegistry.Staging.cs</c>.
/// </summary>
public sealed partial class ModelRegistry(TableClient table, ModelStore store, TimeProvider? timeProvider = null)
{
    private const string Partition = "model";
    private const string HistoryPartition = "history";

    // The row every promotion rewrites, in the versions' partition so it joins their transaction; '~' sorts after versions.
    private const string ProductionMarker = "~production";

    // Each lost race means another promotion committed; a handful of promoters settle well within this.
    private const int MaximumPromotionAttempts = 10;
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Registers a version (stage None). An existing version is returned unchanged, so retries are safe.</summary>
    public async Task<ModelRecord> RegisterAsync(ModelRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Version == ProductionMarker)
        {
            throw new ArgumentException($"'{ProductionMarker}' is reserved by the registry and cannot name a model version.", nameof(record));
        }

        try
        {
            await table.AddEntityAsync(ToEntity(record with { Stage = ModelStage.None }), cancellationToken).ConfigureAwait(false);
            return record with { Stage = ModelStage.None };
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return (await GetAsync(record.Version, cancellationToken).ConfigureAwait(false))!;
        }
    }

    /// <summary>Reads a version, or null.</summary>
    public async Task<ModelRecord?> GetAsync(string version, CancellationToken cancellationToken = default)
    {
        var e = await GetEntityAsync(version, cancellationToken).ConfigureAwait(false);
        return e is null ? null : FromEntity(e);
    }

    /// <summary>Lists every version, newest first.</summary>
    public async Task<IReadOnlyList<ModelRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        [.. (await QueryAsync(null, cancellationToken).ConfigureAwait(false)).Select(e => FromEntity(e)).OrderByDescending(r => r.CreatedAt)];

    /// <summary>Returns the Production version, or null.</summary>
    public async Task<ModelRecord?> GetProductionAsync(CancellationToken cancellationToken = default) =>
        (await QueryAsync(ModelStage.Production, cancellationToken).ConfigureAwait(false)).Select(e => FromEntity(e)).FirstOrDefault();

    /// <summary>Records the gate's verdict on a version.</summary>
    public async Task RecordDecisionAsync(string version, bool promoted, IReadOnlyList<string> reasons, CancellationToken cancellationToken = default)
    {
        var entity = new TableEntity(Partition, version) { ["Decision"] = promoted ? "promoted" : "rejected", ["Reasons"] = JsonSerializer.Serialize(reasons) };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes <paramref name="version"/> the Production model and archives the previous one, atomically,
    /// then points serving at it. Promoting the current Production version does nothing. Returns the
    /// version that was replaced, or null.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such version is registered.</exception>
    public async Task<string?> PromoteAsync(string version, string reason, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var target = await GetEntityAsync(version, cancellationToken).ConfigureAwait(false)
                ?? throw new KeyNotFoundException($"Model version '{version}' is not registered.");
            var marker = await GetRowAsync(ProductionMarker, cancellationToken).ConfigureAwait(false);
            var current = (await QueryAsync(ModelStage.Production, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            if (current?.RowKey == version)
            {
                await PointServingAtProductionAsync(cancellationToken).ConfigureAwait(false);
                return FromEntity(current).PreviousProduction;
            }

            var now = _time.GetUtcNow();
            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.UpdateMerge, new TableEntity(Partition, version) { ["Stage"] = nameof(ModelStage.Production), ["PromotedAt"] = now, ["PreviousProduction"] = current?.RowKey ?? string.Empty }, target.ETag),
            };
            if (current is not null)
            {
                actions.Add(new(TableTransactionActionType.UpdateMerge, new TableEntity(Partition, current.RowKey) { ["Stage"] = nameof(ModelStage.Archived), ["ArchivedAt"] = now }, current.ETag));
            }

            var nextMarker = new TableEntity(Partition, ProductionMarker) { ["Version"] = version, ["PromotedAt"] = now };
            actions.Add(marker is null ? new(TableTransactionActionType.Add, nextMarker) : new(TableTransactionActionType.UpdateReplace, nextMarker, marker.ETag));
            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaximumPromotionAttempts)
            {
                continue;
            }

            await AppendHistoryAsync(now, version, current?.RowKey, ModelStage.Production, reason, cancellationToken).ConfigureAwait(false);
            await PointServingAtProductionAsync(cancellationToken).ConfigureAwait(false);
            return current?.RowKey;
        }
    }

    /// <summary>Returns Production to the version the current one replaced. Returns that version.</summary>
    /// <exception cref="InvalidOperationException">Nothing to roll back to.</exception>
    public async Task<string> RollbackAsync(string reason, CancellationToken cancellationToken = default)
    {
        var current = await GetProductionAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("No model is in Production, so there is nothing to roll back.");
        var previous = string.IsNullOrEmpty(current.PreviousProduction)
            ? throw new InvalidOperationException($"Production model '{current.Version}' replaced no earlier version, so there is nothing to roll back to.")
            : current.PreviousProduction;
        await PromoteAsync(previous, $"rollback from {current.Version}: {reason}", cancellationToken).ConfigureAwait(false);
        return previous;
    }

    /// <summary>Lists stage changes, newest first.</summary>
    public async Task<IReadOnlyList<StageChange>> GetHistoryAsync(CancellationToken cancellationToken = default)
    {
        var changes = new List<StageChange>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {HistoryPartition}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var stage = Enum.TryParse<ModelStage>(e.GetString("Stage"), out var s) ? s : ModelStage.Production;
            changes.Add(new StageChange(e.GetString("Version")!, e.GetString("Replaced"), e.GetString("Reason") ?? string.Empty, e.GetDateTimeOffset("At") ?? default, stage));
        }

        return [.. changes.OrderByDescending(c => c.At)];
    }

    // The pointer follows the registry's Production row, read again on every attempt, so promotions racing each other
    // leave it at the version the registry ends with.
    private Task PointServingAtProductionAsync(CancellationToken cancellationToken) =>
        store.PointAtAsync(async ct => (await GetProductionAsync(ct).ConfigureAwait(false))?.Version, cancellationToken);

    private async Task AppendHistoryAsync(DateTimeOffset at, string version, string? replaced, ModelStage stage, string reason, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(HistoryPartition, $"{at.UtcTicks:D19}-{version}") { ["Version"] = version, ["Replaced"] = replaced, ["Reason"] = reason, ["At"] = at, ["Stage"] = stage.ToString() };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<TableEntity>> QueryAsync(ModelStage? stage, CancellationToken cancellationToken)
    {
        var filter = stage is { } s
            ? TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ne {ProductionMarker} and Stage eq {s.ToString()}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ne {ProductionMarker}");
        var list = new List<TableEntity>();
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(e);
        }

        return list;
    }

    /// <summary>Reads a version's row, or null (also for the marker's key, which names no version).</summary>
    private Task<TableEntity?> GetEntityAsync(string version, CancellationToken cancellationToken) =>
        version == ProductionMarker ? Task.FromResult<TableEntity?>(null) : GetRowAsync(version, cancellationToken);

    private async Task<TableEntity?> GetRowAsync(string rowKey, CancellationToken cancellationToken)
    {
        var e = await table.GetEntityIfExistsAsync<TableEntity>(Partition, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return e.HasValue ? e.Value : null;
    }

    private TableEntity ToEntity(ModelRecord r) => new(Partition, r.Version)
    {
        ["Stage"] = r.Stage.ToString(),
        ["CreatedAt"] = r.CreatedAt == default ? _time.GetUtcNow() : r.CreatedAt,
        ["RunId"] = r.RunId,
        ["DatasetSha256"] = r.DatasetSha256,
        ["Metrics"] = r.Metrics is null ? null : JsonSerializer.Serialize(r.Metrics),
        ["Decision"] = r.Decision,
        ["Reasons"] = JsonSerializer.Serialize(r.Reasons),
    };

    private static ModelRecord FromEntity(TableEntity e) => new()
    {
        Version = e.RowKey,
        Stage = Enum.TryParse<ModelStage>(e.GetString("Stage"), out var stage) ? stage : ModelStage.None,
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? default,
        RunId = e.GetString("RunId"),
        DatasetSha256 = e.GetString("DatasetSha256"),
        Metrics = e.GetString("Metrics") is { Length: > 0 } m ? JsonSerializer.Deserialize<ModelMetrics>(m) : null,
        Decision = e.GetString("Decision") ?? "pending",
        Reasons = e.GetString("Reasons") is { Length: > 0 } r ? JsonSerializer.Deserialize<string[]>(r) ?? [] : [],
        PromotedAt = e.GetDateTimeOffset("PromotedAt"),
        PreviousProduction = e.GetString("PreviousProduction") is { Length: > 0 } p ? p : null,
    };
}

/// <summary>One stage change in the registry's history: a promotion, or a move into or out of Staging.</summary>
/// <param name="Version">The version that changed stage.</param>
/// <param name="Replaced">The Production version it replaced (archived), if any.</param>
/// <param name="Reason">Why.</param>
/// <param name="At">When.</param>
/// <param name="Stage">The stage it moved to (Production for promotions and rollbacks).</param>
public sealed record StageChange(string Version, string? Replaced, string Reason, DateTimeOffset At, ModelStage Stage = ModelStage.Production);
