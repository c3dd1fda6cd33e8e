namespace ChurnFlows.Lifecycle.Serving;

/// <summary>
/// One stage's model in memory. At most once per refresh interval a request asks where the stage points; a
/// new version is loaded while the old one keeps answering, then swapped in atomically, so requests in flight
/// finish on the model they started with and none waits on a download unless the slot was empty.
/// A required slot (Production) re-checks at once while empty and keeps its model if the pointer vanishes.
/// An optional slot (Staging) remembers being empty for the interval like any answer, drops its model when the
/// stage no longer names one, and treats a model that cannot be loaded as absent until the next check (so a bad
/// canary never fails a request) and reports why in <see cref="Problem"/>.
/// </summary>
internal sealed class ServingSlot(
    Func<CancellationToken, Task<string?>> findVersion,
    Func<string, CancellationToken, Task<ServingModel>> load,
    bool optional,
    TimeSpan refreshInterval,
    TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private ServingModel? _current;
    private long _checkedAtTicks;
    private string? _problem;

    /// <summary>Gets the loaded model without checking for a newer one.</summary>
    public ServingModel? Current => Volatile.Read(ref _current);

    /// <summary>Gets why the last version named could not be loaded (optional slots only), or null.</summary>
    public string? Problem => Volatile.Read(ref _problem);

    /// <inheritdoc />
    public void Dispose() => _refresh.Dispose();

    /// <summary>Returns the stage's model, checking for a new version once the interval has passed (without allocating until then).</summary>
    public ValueTask<ServingModel?> GetAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        return IsFresh(current) ? ValueTask.FromResult(current) : new ValueTask<ServingModel?>(RefreshAsync(cancellationToken));
    }

    private async Task<ServingModel?> RefreshAsync(CancellationToken cancellationToken)
    {
        ServingModel? current;
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            current = _current;
            if (IsFresh(current))
            {
                return current;
            }

            var version = await findVersion(cancellationToken).ConfigureAwait(false);
            if (version is null)
            {
                current = optional ? null : current;
                Volatile.Write(ref _problem, null);
            }
            else if (version != current?.Artifact.Version)
            {
                current = await LoadAsync(version, current, cancellationToken).ConfigureAwait(false);
            }

            Volatile.Write(ref _current, current);
            Volatile.Write(ref _checkedAtTicks, time.GetUtcNow().UtcTicks);
            return current;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<ServingModel?> LoadAsync(string version, ServingModel? current, CancellationToken cancellationToken)
    {
        if (!optional)
        {
            return await load(version, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var loaded = await load(version, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _problem, null);
            return loaded;
        }
        catch (Exception e) when (e is InvalidDataException or Azure.RequestFailedException or HttpRequestException or IOException)
        {
            Volatile.Write(ref _problem, $"version {version} could not be loaded ({e.Message}); {(current is null ? "no canary is served" : $"{current.Artifact.Version} is dropped")} until the next check");
            return null;
        }
    }

    private bool IsFresh(ServingModel? current) =>
        (current is not null || optional) && time.GetUtcNow().UtcTicks - Volatile.Read(ref _checkedAtTicks) < refreshInterval.Ticks;
}
