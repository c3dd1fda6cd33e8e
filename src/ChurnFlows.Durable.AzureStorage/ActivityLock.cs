using System.Diagnostics;
using Azure;
using ChurnFlows.Storage.Queues;

namespace ChurnFlows.Durable.AzureStorage;

/// <summary>
/// An activity message this process holds. The message stays invisible only for a short visibility
/// timeout, renewed every third of it while the activity runs, so a long activity is not handed to a
/// second worker, yet a crashed worker's activities reappear within one timeout instead of minutes.
/// Renewal stops after a maximum hold, so a hung activity still reaches the poison policy. Each renewal
/// changes the pop receipt; stop renewing before using <see cref="PopReceipt"/>.
/// </summary>
internal sealed class ActivityLock
{
    private readonly QueueClient _queue;
    private readonly TimeSpan _visibility;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop;
    private readonly Task _renewal;
    private string _popReceipt;
    private readonly DateTimeOffset _renewUntil;
    private long _hiddenUntil;
    private int _released;

    /// <param name="queue">The work-item queue.</param>
    /// <param name="messageId">The message id.</param>
    /// <param name="popReceipt">The receipt of the receive, send or update that hid the message.</param>
    /// <param name="visibility">How long that request hid it, and each renewal hides it.</param>
    /// <param name="maximumHold">How long to keep renewing.</param>
    /// <param name="time">The clock for <paramref name="maximumHold"/>.</param>
    /// <param name="hiddenSince">The <see cref="Stopwatch"/> timestamp taken before the request that hid the message.</param>
    /// <param name="storedDequeueCount">The queue's dequeue count of the message (0 when this process sent it hidden and never received it).</param>
    /// <param name="hubDisposed">Stops renewing when the hub is disposed.</param>
    public ActivityLock(QueueClient queue, string messageId, string popReceipt, TimeSpan visibility, TimeSpan maximumHold, TimeProvider time, long hiddenSince, long storedDequeueCount, CancellationToken hubDisposed)
    {
        _renewUntil = time.GetUtcNow() + maximumHold;
        _queue = queue;
        _visibility = visibility;
        _time = time;
        MessageId = messageId;
        StoredDequeueCount = storedDequeueCount;
        _popReceipt = popReceipt;
        _hiddenUntil = hiddenSince + (long)(visibility.TotalSeconds * Stopwatch.Frequency);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(hubDisposed);
        _renewal = RenewLoopAsync(_stop.Token);
    }

    public string MessageId { get; }

    public string PopReceipt => Volatile.Read(ref _popReceipt);

    /// <summary>Gets the queue's dequeue count of the message (0: sent hidden by this process and never received).</summary>
    public long StoredDequeueCount { get; }

    /// <summary>Gets how long the message stays hidden at least (measured from before the request that hid it).</summary>
    public TimeSpan HiddenFor => TimeSpan.FromSeconds((Interlocked.Read(ref _hiddenUntil) - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);

    /// <summary>Returns true the first time only: the hub counts a held activity once when it is completed or abandoned.</summary>
    public bool TryRelease() => Interlocked.Exchange(ref _released, 1) == 0;

    /// <summary>Ends the renewals; afterwards <see cref="PopReceipt"/> changes only through <see cref="EnsureHiddenForAsync"/>.</summary>
    public async Task StopRenewingAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        await _renewal.ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>Makes sure the message stays hidden for at least half the visibility timeout more (one update when it would not).</summary>
    public async Task EnsureHiddenForAsync(CancellationToken cancellationToken)
    {
        if (HiddenFor < _visibility / 2)
        {
            await RenewAsync(cancellationToken).ConfigureAwait(false);
        }
    }

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
            // Stopped: the activity finished, was abandoned, or the hub is shutting down.
        }
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        var before = Stopwatch.GetTimestamp();
        var receipt = await _queue.UpdateMessageAsync(MessageId, PopReceipt, _visibility, cancellationToken: cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _popReceipt, receipt.PopReceipt);
        Interlocked.Exchange(ref _hiddenUntil, before + (long)(_visibility.TotalSeconds * Stopwatch.Frequency));
    }
}
