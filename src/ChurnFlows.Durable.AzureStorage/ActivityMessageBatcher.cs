using ChurnFlows.Durable.Hub;

namespace ChurnFlows.Durable.AzureStorage;

/// <summary>
/// Group commit of activity invocations that this process will run itself: invocations sent while
/// earlier writes are still in flight share the next message (at most <paramref name="maxItems"/>
/// invocations and <paramref name="maxChars"/> characters). Every caller returns only once the message
/// carrying its invocation is durably enqueued, so each checkpoint still writes its activities before
/// its history. Fewer, larger writes matter where the queue writes message texts one at a time (Azurite
/// syncs each to disk). Thread-safe.
/// </summary>
internal sealed class ActivityMessageBatcher(Func<IReadOnlyList<TaskMessage>, Task<ActivityLock>> write, int maxItems, int maxChars, int maxWritesInFlight)
{
    private readonly Queue<Pending> _pending = new();
    private int _inFlight;

    /// <summary>Enqueues <paramref name="invocation"/> (encoded alone it takes <paramref name="size"/> characters) with whatever else is waiting.</summary>
    public Task<ActivityLock> SendAsync(TaskMessage invocation, int size)
    {
        var pending = new Pending(invocation, size);
        lock (_pending)
        {
            _pending.Enqueue(pending);
            if (_inFlight >= maxWritesInFlight)
            {
                return pending.Written.Task;
            }

            _inFlight++;
        }

        _ = WriteAllAsync();
        return pending.Written.Task;
    }

    /// <summary>Writes batches until nothing waits; a write that is in flight collects the next batch meanwhile.</summary>
    private async Task WriteAllAsync()
    {
        while (true)
        {
            var batch = new List<Pending>();
            lock (_pending)
            {
                var chars = 0;
                while (_pending.TryPeek(out var next) && batch.Count < maxItems && (batch.Count == 0 || chars + next.Size <= maxChars))
                {
                    batch.Add(_pending.Dequeue());
                    chars += next.Size;
                }

                if (batch.Count == 0)
                {
                    _inFlight--;
                    return;
                }
            }

            try
            {
                var written = await write([.. batch.Select(p => p.Invocation)]).ConfigureAwait(false);
                foreach (var p in batch)
                {
                    p.Written.TrySetResult(written);
                }
            }
            catch (Exception e)
            {
                foreach (var p in batch)
                {
                    p.Written.TrySetException(e);
                }
            }
        }
    }

    private sealed record Pending(TaskMessage Invocation, int Size)
    {
        public TaskCompletionSource<ActivityLock> Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
