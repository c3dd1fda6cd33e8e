namespace ChurnFlows.Durable.AzureStorage;

/// <summary>An awaitable signal: a poller backs off on an empty queue, but wakes at once when this process enqueues work it will consume.</summary>
internal sealed class Wakeup
{
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wakes the current waiter (or the next one).</summary>
    public void Set() => Volatile.Read(ref _signal).TrySetResult();

    /// <summary>Waits for <paramref name="delay"/> or a signal, whichever comes first, then re-arms.</summary>
    public async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _signal);
        if (!current.Task.IsCompleted)
        {
            await Task.WhenAny(current.Task, Task.Delay(delay, cancellationToken)).ConfigureAwait(false);
        }

        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _signal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }
}
