using System.Diagnostics;
using Azure;
using Azure.Storage.Queues;

namespace ChurnFlows.Durable.AzureStorage;

/// <summary>
/// An activity message this process holds, carrying one activity or (handed over locally) several. The
/// message stays invisible only for a short visibility timeout, renewed every third of it while any of
/// its activities runs, so a long activity is not handed to a second worker, yet a crashed worker's
/// activities reappear within one timeout instead of minutes. Renewal stops after a maximum hold, so a
/// hung activity still reaches the poison policy. The message may go only once every one of its
/// activities' results is safe (recorded in history, or sent to the orchestration's control queue).
/// </summary>
internal sealed class ActivityLock
{
    private readonly QueueClient _queue;
    private readonly TimeSpan _visibility;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop;
    private readonly object _gate = new();
    private readonly Task _renewal;
    private readonly DateTimeOffset _renewUntil;
    private string _popReceipt;
    private long _hiddenUntil;
    private int _running;
    private int _unsettled;
    private int _abandoned;
    private Task _lastUpdate = Task.CompletedTask;

    /// <param name="queue">The work-item queue.</param>
    /// <param name="messageId">The message id.</param>
    /// <param name="popReceipt">The receipt of the receive, send or update that hid the message.</param>
    /// <param name="visibility">How long that request hid it, and each renewal hides it.</param>
    /// <param name="maximumHold">How long to keep renewing.</param>
    /// <param name="time">The clock for <paramref name="maximumHold"/>.</param>
    /// <param name="hiddenSince">The <see cref="Stopwatch"/> timestamp taken before the request that hid the message.</param>
    /// <param name="storedDequeueCount">The queue's dequeue count of the message (0 when this process sent it hidden and never received it).</param>
    /// <param name="activities">How many activities the message carries.</param>
    /// <param name="hubDisposed">Stops renewing when the hub is disposed.</param>
    public ActivityLock(QueueClient queue, string messageId, string popReceipt, TimeSpan visibility, TimeSpan maximumHold, TimeProvider time, long hiddenSince, long storedDequeueCount, int activities, CancellationToken hubDisposed)
    {
        _renewUntil = time.GetUtcNow() + maximumHold;
        _queue = queue;
        _visibility = visibility;
        _time = time;
        MessageId = messageId;
        StoredDequeueCount = storedDequeueCount;
        Activities = activities;
        _running = activities;
        _unsettled = activities;
        _popReceipt = popReceipt;
        _hiddenUntil = hiddenSince + Ticks(visibility);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(hubDisposed);
        _renewal = RenewLoopAsync(_stop.Token);
    }

    public string MessageId { get; }

    /// <summary>Gets the current receipt; each renewal changes it.</summary>
    public string PopReceipt => Volatile.Read(ref _popReceipt);

    /// <summary>Gets the queue's dequeue count of the message (0: sent hidden by this process and never received).</summary>
    public long StoredDequeueCount { get; }

    /// <summary>Gets how many activities the message carries.</summary>
    public int Activities { get; }

    /// <summary>Gets how long the message stays hidden at least (measured from before the request that hid it).</summary>
    public TimeSpan HiddenFor => TimeSpan.FromSeconds((Interlocked.Read(ref _hiddenUntil) - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);

    /// <summary>
    /// One of the message's activities stopped running (completed, or abandoned); renewals end with the
    /// last. Returns true when that was the last and one of them was abandoned: the caller then returns the
    /// message to the queue, so that its activities run again.
    /// </summary>
    public async Task<bool> FinishedAsync(bool abandoned)
    {
        if (abandoned)
        {
            Volatile.Write(ref _abandoned, 1);
        }

        if (Interlocked.Decrement(ref _running) != 0)
        {
            return false;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewal.ConfigureAwait(false);
        _stop.Dispose();
        return Volatile.Read(ref _abandoned) == 1;
    }

    /// <summary>One of the message's results is safe; returns true for the last, when the message may be deleted (or reused).</summary>
    public bool Settle() => Interlocked.Decrement(ref _unsettled) == 0;

    /// <summary>Makes sure the message stays hidden for at least half the visibility timeout more (one update when it would not).</summary>
    public async Task EnsureHiddenForAsync(CancellationToken cancellationToken)
    {
        if (HiddenFor < _visibility / 2)
        {
            await RenewAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Makes the message visible after <paramref name="delay"/>, so another worker runs it; a message that is gone or was re-received is left alone.</summary>
    public Task ReturnAsync(TimeSpan delay) => OneAtATimeAsync(async () =>
    {
        try
        {
            var before = Stopwatch.GetTimestamp();
            var receipt = await _queue.UpdateAsync(MessageId, PopReceipt, delay, null, CancellationToken.None).ConfigureAwait(false);
            Volatile.Write(ref _popReceipt, receipt.PopReceipt);
            Interlocked.Exchange(ref _hiddenUntil, before + Ticks(delay));
        }
        catch (RequestFailedException e) when (e.Status is 400 or 404)
        {
            // Its visibility ran out and another worker has it, or it is gone.
        }
    });

    private async Task RenewLoopAsync(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_visibility / 3, stop).ConfigureAwait(false);
                if (_time.GetUtcNow() >= _renewUntil)
                {
                    // Held too long (hung): let the message reappear so the poison policy can act.
                    return;
                }

                try
                {
                    await RenewAsync(stop).ConfigureAwait(false);
                }
                catch (RequestFailedException e) when (e.Status is 400 or 404)
                {
                    // The message is gone or its receipt is stale (another worker took it after a long stall).
                    return;
                }
                catch (Exception e) when (e is RequestFailedException or HttpRequestException or IOException)
                {
                    // A transient fault: the next round tries again while the message is still hidden.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: the activities finished, or the hub is shutting down.
        }
    }

    private Task RenewAsync(CancellationToken cancellationToken) => OneAtATimeAsync(async () =>
    {
        var before = Stopwatch.GetTimestamp();
        var receipt = await _queue.UpdateAsync(MessageId, PopReceipt, _visibility, null, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _popReceipt, receipt.PopReceipt);
        Interlocked.Exchange(ref _hiddenUntil, before + Ticks(_visibility));
    });

    /// <summary>Runs updates of the message one after another: each needs the receipt the previous one returned.</summary>
    private async Task OneAtATimeAsync(Func<Task> update)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task previous;
        lock (_gate)
        {
            previous = _lastUpdate;
            _lastUpdate = done.Task;
        }

        try
        {
            await previous.ConfigureAwait(false);
            await update().ConfigureAwait(false);
        }
        finally
        {
            done.SetResult();
        }
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}

/// <summary>One activity work item's share of an <see cref="ActivityLock"/>: the lock token the worker hands back.</summary>
internal sealed class ActivityHold(ActivityLock message)
{
    private int _released;

    public ActivityLock Message { get; } = message;

    /// <summary>Returns true the first time only: completing or abandoning a work item counts once.</summary>
    public bool TryRelease() => Interlocked.Exchange(ref _released, 1) == 0;
}
