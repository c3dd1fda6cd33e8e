using System.Diagnostics;
using Azure;
using ChurnFlows.Durable.History;
using ChurnFlows.Durable.Hub;

namespace ChurnFlows.Durable.AzureStorage;

/// <summary>
/// Sending activities. While this process's worker has free activity slots, an activity is enqueued
/// hidden (for <see cref="AzureStorageTaskHubOptions.WorkItemVisibilityTimeout"/>, renewed while it
/// runs) and handed straight to the local worker with the receipt the send returned, so nobody has to
/// receive it; a crash lets it reappear for another worker (at least once). Otherwise it is enqueued
/// visible for any worker. Either way the message is preferably a spent one rewritten in place.
/// </summary>
public sealed partial class AzureStorageTaskHub
{
    private const int SpentCapacity = 256;
    private static readonly TimeSpan SpentHold = TimeSpan.FromSeconds(2);
    private int _activitySlots;
    private int _heldActivities;
    private int _promisedActivities;

    /// <summary>Gets how many activities this process holds now: handed out or waiting to be, and not yet completed or abandoned.</summary>
    internal int HeldActivities => Volatile.Read(ref _heldActivities);

    /// <inheritdoc />
    public void AddActivitySlots(int count)
    {
        if (Interlocked.Add(ref _activitySlots, count) <= 0)
        {
            // No local worker any more: what waits for it goes back to the queue for others.
            _ = ReturnPrefetchedActivitiesAsync();
        }
    }

    private static TimeSpan SpentHoldFor(TimeSpan visibility) => visibility / 4 < SpentHold ? visibility / 4 : SpentHold;

    /// <summary>Takes a free local slot for an activity about to be handed over (promised until it is), or returns false.</summary>
    private bool TryReserveActivitySlot()
    {
        var slots = Volatile.Read(ref _activitySlots);
        while (true)
        {
            var held = Volatile.Read(ref _heldActivities);
            if (held >= slots)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _heldActivities, held + 1, held) == held)
            {
                Interlocked.Increment(ref _promisedActivities);
                return true;
            }
        }
    }

    private void ReleaseActivitySlot(ActivityLock lk)
    {
        if (lk.TryRelease())
        {
            Interlocked.Decrement(ref _heldActivities);
        }
    }

    /// <summary>Enqueues one activity (step 1 of a checkpoint), for the local worker when it has room.</summary>
    private async Task SendActivityAsync(TaskMessage message, CancellationToken cancellationToken)
    {
        var body = await _codec.EncodeAsync(message.InstanceId, [message.Event], cancellationToken).ConfigureAwait(false);
        var local = TryReserveActivitySlot();
        try
        {
            var visibility = local ? _options.WorkItemVisibilityTimeout : TimeSpan.Zero;
            var hiddenSince = Stopwatch.GetTimestamp();
            var (messageId, popReceipt) = await RewriteSpentAsync(body, visibility, cancellationToken).ConfigureAwait(false)
                ?? await SendNewAsync(body, local ? visibility : null, cancellationToken).ConfigureAwait(false);
            if (!local)
            {
                ActivitiesQueued();
                return;
            }

            var lk = new ActivityLock(_workItems, messageId, popReceipt, visibility, _options.MaximumActivityLockDuration, _time, hiddenSince, storedDequeueCount: 0, _disposed.Token);
            _prefetched.Enqueue(new ActivityWorkItem(message.InstanceId, (TaskScheduledEvent)message.Event, lk));
            Interlocked.Decrement(ref _promisedActivities);
            _activityWakeup.Set();
        }
        catch when (local)
        {
            Interlocked.Decrement(ref _promisedActivities);
            Interlocked.Decrement(ref _heldActivities);
            throw;
        }
    }

    private async Task<(string MessageId, string PopReceipt)> SendNewAsync(string body, TimeSpan? hidden, CancellationToken cancellationToken)
    {
        var sent = await _workItems.SendMessageAsync(body, hidden, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        return (sent.MessageId, sent.PopReceipt);
    }

    /// <summary>Rewrites a spent message with <paramref name="body"/>, hidden for <paramref name="visibility"/> (zero: visible now); null when none is at hand.</summary>
    private async Task<(string MessageId, string PopReceipt)?> RewriteSpentAsync(string body, TimeSpan visibility, CancellationToken cancellationToken)
    {
        while (_spent.TryTake(out var messageId, out var popReceipt))
        {
            try
            {
                var updated = await _workItems.UpdateMessageAsync(messageId, popReceipt, visibility, body, cancellationToken).ConfigureAwait(false);
                return (messageId, updated.PopReceipt);
            }
            catch (RequestFailedException e) when (e.Status is 400 or 404)
            {
                // It reappeared and another worker received it (re-running an activity already recorded), or it is gone: try the next.
            }
        }

        return null;
    }
}
