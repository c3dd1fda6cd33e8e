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
    private long _visibleUntilTicks;

    public ActivityLock(QueueClient queue, string messageId, string popReceipt, TimeSpan visibility, TimeSpan maximumHold, TimeProvider time, CancellationToken hubDisposed)
    {
        _renewUntil = time.GetUtcNow() + maximumHold;
        _queue = queue;
        _visibility = visibility;
        _time = time;
        MessageId = messageId;
        _popReceipt = popReceipt;
        _visibleUntilTicks = (time.GetUtcNow() + visibility).UtcTicks;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(hubDisposed);
        _renewal = RenewLoopAsync(_stop.Token);
    }

    public string MessageId { get; }

    public string PopReceipt => Volatile.Read(ref _popReceipt);

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
        if (new DateTimeOffset(Interlocked.Read(ref _visibleUntilTicks), TimeSpan.Zero) - _time.GetUtcNow() < _visibility / 2)
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
        var receipt = await _queue.UpdateMessageAsync(MessageId, PopReceipt, _visibility, cancellationToken: cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _popReceipt, receipt.PopReceipt);
        Interlocked.Exchange(ref _visibleUntilTicks, receipt.NextVisibleOn.UtcTicks);
    }
}
