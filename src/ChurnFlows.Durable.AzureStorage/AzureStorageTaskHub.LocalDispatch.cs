using System.Diagnostics;
using Azure;
using ChurnFlows.Durable.History;
using ChurnFlows.Durable.Hub;

namespace ChurnFlows.Durable.AzureStorage;

/// <summary>
/// Sending activities. While this process's worker has free activity slots, an activity is enqueued
/// hidden (for <see cref="AzureStorageTaskHubOptions.WorkItemVisibilityTimeout"/>, renewed while it
/// runs) and handed straight to the local worker with the receipt the send returned, so nobody has to
/// receive it; small activities sent while earlier sends are in flight share one message (group
/// commit). A crash lets the message reappear for another worker, which splits a shared one into one
/// message per activity (at least once). Otherwise the activity is enqueued visible, on its own, for any
/// worker. Either way the message is preferably a spent one rewritten in place.
/// </summary>
public sealed partial class AzureStorageTaskHub
{
    private const int SpentCapacity = 256;
    private const int MaxSharedActivityChars = 2 * 1024;
    private const int MaxSharedActivities = 32;
    private const int MaxSharedMessageChars = 32 * 1024;
    private const int SharedWritesInFlight = 2;
    private static readonly TimeSpan SpentHold = TimeSpan.FromSeconds(2);
    private int _activitySlots;
    private int _heldActivities;
    private int _promisedActivities;
    private ActivityMessageBatcher? _localBatches;

    private ActivityMessageBatcher LocalBatches => LazyInitializer.EnsureInitialized(ref _localBatches, () => new ActivityMessageBatcher(SendHiddenAsync, MaxSharedActivities, Math.Min(MaxSharedMessageChars, _options.LargePayloadThreshold), SharedWritesInFlight));

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

    /// <summary>Frees the local slot of an activity that stopped running; returns what <see cref="ActivityLock.FinishedAsync"/> returns.</summary>
    private Task<bool> ReleaseActivitySlotAsync(ActivityLock lk, bool abandoned)
    {
        Interlocked.Decrement(ref _heldActivities);
        return lk.FinishedAsync(abandoned);
    }

    /// <summary>
    /// Enqueues one activity (step 1 of a checkpoint). For the local worker, when it has room, the message
    /// is sent hidden, shared with other activities sent meanwhile (small ones), and handed over; else it is
    /// sent visible, on its own, for any worker.
    /// </summary>
    private async Task SendActivityAsync(TaskMessage message, CancellationToken cancellationToken)
    {
        if (!TryReserveActivitySlot())
        {
            var body = await _codec.EncodeAsync(message.InstanceId, [message.Event], cancellationToken).ConfigureAwait(false);
            _ = await RewriteSpentAsync(body, TimeSpan.Zero, cancellationToken).ConfigureAwait(false)
                ?? await SendNewAsync(body, null, cancellationToken).ConfigureAwait(false);
            ActivitiesQueued();
            return;
        }

        try
        {
            var size = QueueEnvelopeCodec.SizeOf(message);
            var lk = size <= Math.Min(MaxSharedActivityChars, _options.LargePayloadThreshold)
                ? await LocalBatches.SendAsync(message, size).ConfigureAwait(false)
                : await SendHiddenAsync([message]).ConfigureAwait(false);
            _prefetched.Enqueue(new ActivityWorkItem(message.InstanceId, (TaskScheduledEvent)message.Event, new ActivityHold(lk)));
            Interlocked.Decrement(ref _promisedActivities);
            _activityWakeup.Set();
            if (Volatile.Read(ref _activitySlots) <= 0)
            {
                // The worker stopped while this was being sent: give it back like the rest it left.
                _ = ReturnPrefetchedActivitiesAsync();
            }
        }
        catch
        {
            Interlocked.Decrement(ref _promisedActivities);
            Interlocked.Decrement(ref _heldActivities);
            throw;
        }
    }

    /// <summary>Sends one message carrying <paramref name="messages"/>, hidden for the local worker, and returns its lock (renewing from now on).</summary>
    private async Task<ActivityLock> SendHiddenAsync(IReadOnlyList<TaskMessage> messages)
    {
        var body = messages.Count == 1
            ? await _codec.EncodeAsync(messages[0].InstanceId, [messages[0].Event], CancellationToken.None).ConfigureAwait(false)
            : QueueEnvelopeCodec.EncodeMany(messages);
        var visibility = _options.WorkItemVisibilityTimeout;
        var hiddenSince = Stopwatch.GetTimestamp();
        var (messageId, popReceipt) = await RewriteSpentAsync(body, visibility, CancellationToken.None).ConfigureAwait(false)
            ?? await SendNewAsync(body, visibility, CancellationToken.None).ConfigureAwait(false);
        return new ActivityLock(_workItems, messageId, popReceipt, visibility, _options.MaximumActivityLockDuration, _time, hiddenSince, storedDequeueCount: 0, messages.Count, _disposed.Token);
    }

    private async Task<(string MessageId, string PopReceipt)> SendNewAsync(string body, TimeSpan? hidden, CancellationToken cancellationToken)
    {
        var sent = await _workItems.EnqueueAsync(body, hidden, cancellationToken).ConfigureAwait(false);
        return (sent.MessageId, sent.PopReceipt);
    }

    /// <summary>Rewrites a spent message with <paramref name="body"/>, hidden for <paramref name="visibility"/> (zero: visible now); null when none is at hand.</summary>
    private async Task<(string MessageId, string PopReceipt)?> RewriteSpentAsync(string body, TimeSpan visibility, CancellationToken cancellationToken)
    {
        while (_spent.TryTake(out var messageId, out var popReceipt))
        {
            try
            {
                var updated = await _workItems.UpdateAsync(messageId, popReceipt, visibility, body, cancellationToken).ConfigureAwait(false);
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
