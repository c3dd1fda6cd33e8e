using ChurnFlows.Lifecycle.Registry;
using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Explain;

namespace ChurnFlows.Lifecycle.Serving;

/// <summary>A loaded model ready to score: the artifact, its explainer and its request reader.</summary>
/// <param name="Artifact">The model file's content.</param>
/// <param name="Explainer">TreeSHAP over its trees.</param>
/// <param name="Reader">Reads requests in its schema.</param>
public sealed record ServingModel(ModelArtifact Artifact, TreeShap Explainer, CustomerRecordReader Reader);

/// <summary>
/// Holds the Production model in memory and hot-swaps it when the production pointer changes: at most
/// once per <paramref name="refreshInterval"/> a request checks the pointer; a new version is loaded
/// and swapped in atomically, so requests in flight finish on the model they started with.
/// </summary>
public sealed class ModelCache(ModelStore store, TimeSpan refreshInterval, TimeProvider? timeProvider = null) : IDisposable
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private ServingModel? _current;
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;

    /// <inheritdoc />
    public void Dispose() => _refresh.Dispose();

    /// <summary>Returns the Production model, or null when none has been promoted.</summary>
    public async Task<ServingModel?> GetAsync(CancellationToken cancellationToken = default)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && _time.GetUtcNow() - _checkedAt < refreshInterval)
        {
            return current;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_current is not null && _time.GetUtcNow() - _checkedAt < refreshInterval)
            {
                return _current;
            }

            var version = await store.GetProductionVersionAsync(cancellationToken).ConfigureAwait(false);
            if (version is not null && version != _current?.Artifact.Version)
            {
                var artifact = await store.LoadAsync(version, cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _current, new ServingModel(artifact, new TreeShap(artifact.Model), new CustomerRecordReader(artifact.Schema, artifact.Pipeline)));
            }

            _checkedAt = _time.GetUtcNow();
            return _current;
        }
        finally
        {
            _refresh.Release();
        }
    }
}
