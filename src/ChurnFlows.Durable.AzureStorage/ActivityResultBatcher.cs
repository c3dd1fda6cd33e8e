using ChurnFlows.Durable.History;

namespace ChurnFlows.Durable.AzureStorage;

/// <summary>
/// Groups activity results bound for the same instance that complete within a short window into one
/// control message (a fan-in of 1,000 results becomes a few dozen messages). Each caller returns only
/// once its result is durably enqueued.
/// </summary>
internal sealed class ActivityResultBatcher(Func<string, IReadOnlyList<HistoryEvent>, CancellationToken, Task> send, TimeSpan window)
{
    private const int MaxBatch = 64;
    private readonly Dictionary<string, Batch> _open = new(StringComparer.Ordinal);

    public Task SendAsync(string instanceId, HistoryEvent result, CancellationToken cancellationToken)
    {
        if (window <= TimeSpan.Zero)
        {
            return send(instanceId, [result], cancellationToken);
        }

        Batch batch;
        bool first;
        lock (_open)
        {
            first = !_open.TryGetValue(instanceId, out batch!);
            if (first)
            {
                _open[instanceId] = batch = new Batch();
            }

            batch.Events.Add(result);
            if (batch.Events.Count >= MaxBatch)
            {
                _open.Remove(instanceId);
                _ = FlushAsync(instanceId, batch);
                return batch.Sent.Task;
            }
        }

        if (first)
        {
            _ = FlushLaterAsync(instanceId, batch);
        }

        return batch.Sent.Task;
    }

    private async Task FlushLaterAsync(string instanceId, Batch batch)
    {
        await Task.Delay(window, CancellationToken.None).ConfigureAwait(false);
        lock (_open)
        {
            if (!_open.TryGetValue(instanceId, out var current) || current != batch)
            {
                return;
            }

            _open.Remove(instanceId);
        }

        await FlushAsync(instanceId, batch).ConfigureAwait(false);
    }

    private async Task FlushAsync(string instanceId, Batch batch)
    {
        try
        {
            await send(instanceId, batch.Events, CancellationToken.None).ConfigureAwait(false);
            batch.Sent.TrySetResult();
        }
        catch (Exception e)
        {
            batch.Sent.TrySetException(e);
        }
    }

    private sealed class Batch
    {
        public List<HistoryEvent> Events { get; } = [];

        public TaskCompletionSource Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
