using ChurnFlows.Lifecycle.Registry;

namespace ChurnFlows.Lifecycle.Serving;

/// <summary>
/// Holds the served models in memory and hot-swaps them when the registry moves: the Production model (the
/// <c>production.json</c> pointer) and the newest Staging model (the registry's Staging rows), which answers
/// the canary share. Each is checked at most once per <c>refreshInterval</c>; a new version is loaded and
/// swapped in atomically, so requests in flight finish on the model they started with. A Staging model that
/// is promoted, moved back to None or archived is dropped at the next check; one that is promoted is reused
/// as the Production model rather than downloaded again.
/// </summary>
public sealed class ModelCache : IDisposable
{
    private readonly ModelStore _store;
    private readonly ServingSlot _production;
    private readonly ServingSlot _staging;

    /// <summary>Creates a cache reading artifacts and the production pointer from <paramref name="store"/> and Staging from <paramref name="registry"/>.</summary>
    public ModelCache(ModelStore store, ModelRegistry registry, TimeSpan refreshInterval, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(registry);
        _store = store;
        var time = timeProvider ?? TimeProvider.System;
        _production = new ServingSlot(store.GetProductionVersionAsync, (version, ct) => LoadAsync(version, ModelStage.Production, ct), optional: false, refreshInterval, time);
        _staging = new ServingSlot(async ct => (await registry.GetStagingAsync(ct).ConfigureAwait(false))?.Version, (version, ct) => LoadAsync(version, ModelStage.Staging, ct), optional: true, refreshInterval, time);
    }

    /// <summary>Gets why the newest Staging version could not be loaded at the last check (so no canary is served), or null.</summary>
    public string? StagingProblem => _staging.Problem;

    /// <inheritdoc />
    public void Dispose()
    {
        _production.Dispose();
        _staging.Dispose();
    }

    /// <summary>Returns the Production model, or null when none has been promoted.</summary>
    public ValueTask<ServingModel?> GetAsync(CancellationToken cancellationToken = default) => _production.GetAsync(cancellationToken);

    /// <summary>Returns the newest Staging model, or null when no version is in Staging (or it cannot be loaded; see <see cref="StagingProblem"/>).</summary>
    public ValueTask<ServingModel?> GetStagingAsync(CancellationToken cancellationToken = default) => _staging.GetAsync(cancellationToken);

    private async Task<ServingModel> LoadAsync(string version, ModelStage stage, CancellationToken cancellationToken)
    {
        // A promoted canary is already in memory: serve the same artifact under its new stage.
        foreach (var loaded in new[] { _staging.Current, _production.Current })
        {
            if (loaded?.Artifact.Version == version)
            {
                return loaded with { Stage = stage };
            }
        }

        return ServingModel.From(await _store.LoadAsync(version, cancellationToken).ConfigureAwait(false), stage);
    }
}
