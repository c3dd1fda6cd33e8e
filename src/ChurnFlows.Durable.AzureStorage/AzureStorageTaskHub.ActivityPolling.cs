using System.Diagnostics;
using System.Text.Json;
using Azure;
using Azure.Storage.Queues.Models;
using ChurnFlows.Durable.History;
using ChurnFlows.Durable.Hub;

namespace ChurnFlows.Durable.AzureStorage;

/// <summary>
/// Handing out activity work items: those handed over locally first, else competing consumers on
/// <c>&lt;hub&gt;-workitems</c>, fetched up to 32 at a time but never more than the local worker has free
/// slots for (what it cannot run soon stays in the queue for other workers).
/// </summary>
public sealed partial class AzureStorageTaskHub
{
    private readonly SemaphoreSlim _activityFetch = new(1, 1);
    private readonly Wakeup _activityWakeup = new();
    private long _nextActivityPoll;
    private long _activityPollDelayTicks = MinimumPollingInterval.Ticks;
    private int _activitiesQueued;

    /// <summary>
    /// Hands out an activity handed over locally or fetched from the queue. The queue is polled again at
    /// once after a poll that found messages or when visible ones were just queued by this process, and
    /// otherwise with a back-off (kept across calls) up to <see cref="AzureStorageTaskHubOptions.MaxPollingInterval"/>,
    /// so a worker fed by local hand-over does not poll an empty queue for every activity.
    /// </summary>
    public async Task<ActivityWorkItem?> LockNextActivityWorkItemAsync(TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_prefetched.TryDequeue(out var ready))
            {
                return ready;
            }

            var remaining = maxWait - clock.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                return null;
            }

            var untilPoll = ActivityPollDue();
            if (untilPoll <= TimeSpan.Zero)
            {
                // Every free slot may be promised to an activity being handed over: then wait for it.
                var room = FreeActivitySlots();
                if (room > 0 || Volatile.Read(ref _promisedActivities) == 0)
                {
                    await PollActivitiesAsync(Math.Max(room, 1), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                untilPoll = remaining;
            }

            try
            {
                await _activityWakeup.WaitAsync(untilPoll < remaining ? untilPoll : remaining, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }
    }

    /// <summary>Lets the activity poller know that visible activity messages are in the queue.</summary>
    private void ActivitiesQueued()
    {
        Volatile.Write(ref _activitiesQueued, 1);
        _activityWakeup.Set();
    }

    /// <summary>How long until the work-item queue is due for a poll (zero or less: now).</summary>
    private TimeSpan ActivityPollDue() => Volatile.Read(ref _activitiesQueued) == 1
        ? TimeSpan.Zero
        : TimeSpan.FromSeconds((Interlocked.Read(ref _nextActivityPoll) - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);

    /// <summary>How many activities one poll may take: the local worker's free slots, at most a batch (a batch when no worker registered slots).</summary>
    private int FreeActivitySlots()
    {
        var slots = Volatile.Read(ref _activitySlots);
        return slots <= 0 ? _options.QueueBatchSize : Math.Clamp(slots - Volatile.Read(ref _heldActivities), 0, _options.QueueBatchSize);
    }

    private async Task PollActivitiesAsync(int room, CancellationToken cancellationToken)
    {
        await _activityFetch.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_prefetched.IsEmpty || ActivityPollDue() > TimeSpan.Zero)
            {
                return;
            }

            Volatile.Write(ref _activitiesQueued, 0);
            var fetched = await FetchActivitiesAsync(room, cancellationToken).ConfigureAwait(false);
            var delay = fetched > 0 ? MinimumPollingInterval.Ticks : Math.Min(Interlocked.Read(ref _activityPollDelayTicks) * 2, _options.MaxPollingInterval.Ticks);
            Interlocked.Exchange(ref _activityPollDelayTicks, delay);
            Interlocked.Exchange(ref _nextActivityPoll, fetched > 0 ? 0 : Stopwatch.GetTimestamp() + (long)(TimeSpan.FromTicks(delay).TotalSeconds * Stopwatch.Frequency));
        }
        finally
        {
            _activityFetch.Release();
        }
    }

    private async Task<int> FetchActivitiesAsync(int count, CancellationToken cancellationToken)
    {
        var hiddenSince = Stopwatch.GetTimestamp();
        var received = await _workItems.ReceiveAsync(count, _options.WorkItemVisibilityTimeout, cancellationToken).ConfigureAwait(false);
        var items = new ActivityWorkItem?[received.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, received.Length), cancellationToken, async (i, ct) =>
            items[i] = await AcceptActivityAsync(received[i], hiddenSince, ct).ConfigureAwait(false)).ConfigureAwait(false);
        foreach (var item in items)
        {
            if (item is not null)
            {
                Interlocked.Increment(ref _heldActivities);
                _prefetched.Enqueue(item);
            }
        }

        return received.Length;
    }

    private async Task<ActivityWorkItem?> AcceptActivityAsync(QueueMessage message, long hiddenSince, CancellationToken cancellationToken)
    {
        var body = message.Body.ToString();
        IReadOnlyList<TaskMessage> invocations;
        try
        {
            invocations = await _codec.DecodeAsync(body, cancellationToken).ConfigureAwait(false);
            if (invocations.Count == 0 || invocations.Any(i => i.Event is not TaskScheduledEvent))
            {
                throw new InvalidDataException("An activity message must carry activity invocations only.");
            }
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidDataException || (e is RequestFailedException { Status: 404 }))
        {
            await MoveToPoisonAsync(_workItems, message.MessageId, message.PopReceipt, body, cancellationToken).ConfigureAwait(false);
            Logs.UnreadableMessage(_logger, _workItems.Name, message.MessageId, e);
            return null;
        }

        if (invocations.Count > 1)
        {
            await SplitAsync(message, invocations, cancellationToken).ConfigureAwait(false);
            return null;
        }

        var invocation = invocations[0];

        var scheduled = (TaskScheduledEvent)invocation.Event;
        if (message.DequeueCount > _options.MaxDequeueCount)
        {
            // Fail the activity visibly instead of retrying forever: the orchestration sees a TaskFailedException.
            Logs.PoisonMessage(_logger, _workItems.Name, message.MessageId, message.DequeueCount, invocation.InstanceId);
            await _poison.EnqueueAsync(body, null, cancellationToken).ConfigureAwait(false);
            var failure = new TaskFailureDetails("PoisonMessage", $"Activity '{scheduled.Name}' (#{scheduled.EventId}) was dequeued {message.DequeueCount} times without completing (limit {_options.MaxDequeueCount}) and was moved to queue '{_poison.Name}'.");
            await SendAsync(invocation.InstanceId, [new TaskFailedEvent(_time.GetUtcNow().UtcDateTime, scheduled.EventId, failure)], null, cancellationToken).ConfigureAwait(false);
            await DeleteQuietlyAsync(_workItems, message.MessageId, message.PopReceipt).ConfigureAwait(false);
            return null;
        }

        var lk = new ActivityLock(_workItems, message.MessageId, message.PopReceipt, _options.WorkItemVisibilityTimeout, _options.MaximumActivityLockDuration, _time, hiddenSince, message.DequeueCount, activities: 1, _disposed.Token);
        return new ActivityWorkItem(invocation.InstanceId, scheduled, new ActivityHold(lk), (int)message.DequeueCount);
    }

    /// <summary>
    /// A message shared by several activities handed over locally reappeared (its worker died or gave
    /// them up): it becomes one visible message per activity, so each runs, and is poisoned, on its own.
    /// </summary>
    private async Task SplitAsync(QueueMessage message, IReadOnlyList<TaskMessage> invocations, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(invocations, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (m, ct) =>
        {
            var body = await _codec.EncodeAsync(m.InstanceId, [m.Event], ct).ConfigureAwait(false);
            await _workItems.EnqueueAsync(body, null, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
        await DeleteQuietlyAsync(_workItems, message.MessageId, message.PopReceipt).ConfigureAwait(false);
        ActivitiesQueued();
    }
}
