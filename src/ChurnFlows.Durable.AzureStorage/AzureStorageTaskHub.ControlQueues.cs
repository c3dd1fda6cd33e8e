using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using ChurnFlows.Durable.Hub;

namespace ChurnFlows.Durable.AzureStorage;

/// <summary>Fetching control messages of owned partitions into per-instance sessions.</summary>
public sealed partial class AzureStorageTaskHub
{
    private static readonly TimeSpan MinimumPollingInterval = TimeSpan.FromMilliseconds(10);

    private async Task FetchControlMessagesAsync(ControlPartition partition, CancellationToken owned)
    {
        var idle = MinimumPollingInterval;
        while (!owned.IsCancellationRequested)
        {
            try
            {
                int buffered;
                lock (partition)
                {
                    buffered = partition.Held.Count;
                }

                if (buffered >= _options.ControlQueueBufferThreshold)
                {
                    await partition.Wakeup.WaitAsync(TimeSpan.FromMilliseconds(50), owned).ConfigureAwait(false);
                    continue;
                }

                var received = await partition.Queue.ReceiveAsync(_options.QueueBatchSize, _options.ControlQueueVisibilityTimeout, owned).ConfigureAwait(false);
                if (received.Length == 0)
                {
                    await partition.Wakeup.WaitAsync(idle, owned).ConfigureAwait(false);
                    idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, _options.MaxPollingInterval.Ticks));
                    continue;
                }

                await Parallel.ForEachAsync(received, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = owned }, async (m, ct) =>
                    await AcceptControlMessageAsync(partition, m, ct).ConfigureAwait(false)).ConfigureAwait(false);

                // A full batch may leave more behind: poll again at once. A partial one drained the queue: let
                // messages from other processes gather before the next poll, and back off from there while empty.
                var pause = _options.ControlQueuePartialBatchDelay < _options.MaxPollingInterval ? _options.ControlQueuePartialBatchDelay : _options.MaxPollingInterval;
                idle = received.Length >= _options.QueueBatchSize || pause < MinimumPollingInterval ? MinimumPollingInterval : pause;
                if (received.Length < _options.QueueBatchSize && pause > TimeSpan.Zero)
                {
                    await partition.Wakeup.WaitAsync(pause, owned).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (owned.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RequestFailedException or IOException or HttpRequestException or TimeoutException or OperationCanceledException)
            {
                Logs.FetchFailed(_logger, partition.Queue.Name, e);
                await Task.Delay(500, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task AcceptControlMessageAsync(ControlPartition partition, QueueMessage message, CancellationToken cancellationToken)
    {
        lock (partition)
        {
            if (partition.Held.TryGetValue(message.MessageId, out var held))
            {
                held.PopReceipt = message.PopReceipt;
                held.DequeueCount = message.DequeueCount;
                return;
            }
        }

        var body = message.Body.ToString();
        IReadOnlyList<TaskMessage> messages;
        try
        {
            messages = await _codec.DecodeAsync(body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidDataException || (e is RequestFailedException { Status: 404 }))
        {
            await MoveToPoisonAsync(partition.Queue, message.MessageId, message.PopReceipt, body, cancellationToken).ConfigureAwait(false);
            Logs.UnreadableMessage(_logger, partition.Queue.Name, message.MessageId, e);
            return;
        }

        if (messages.Count == 0)
        {
            await DeleteQuietlyAsync(partition.Queue, message.MessageId, message.PopReceipt).ConfigureAwait(false);
            return;
        }

        var instanceId = messages[0].InstanceId;
        if (messages.Count == 1 && DueAt(messages[0].Event) is { } due && VisibilityDelay(due) is { } wait)
        {
            // Not due yet (a chunk of a long timer, or the clock was behind): re-enqueue the rest so the dequeue count stays fresh.
            await _controlQueues[partition.Index].EnqueueAsync(body, wait, cancellationToken).ConfigureAwait(false);
            await DeleteQuietlyAsync(partition.Queue, message.MessageId, message.PopReceipt).ConfigureAwait(false);
            return;
        }

        var received = new ReceivedMessage
        {
            Queue = partition.Queue,
            MessageId = message.MessageId,
            HeldKey = message.MessageId,
            PopReceipt = message.PopReceipt,
            DequeueCount = message.DequeueCount,
            Body = body,
            InstanceId = instanceId,
            Messages = messages,
            Poisoned = message.DequeueCount > _options.MaxDequeueCount,
        };
        lock (partition)
        {
            if (!partition.IsOwned || !partition.Held.TryAdd(received.HeldKey, received))
            {
                return;
            }

            if (!partition.Instances.TryGetValue(instanceId, out var session))
            {
                partition.Instances[instanceId] = session = new InstanceSession();
            }

            session.Pending.Add(received);
            Signal(partition, instanceId, session);
        }
    }

    /// <summary>Queues an instance for an episode unless it is locked or already queued. Call under the partition lock.</summary>
    private void Signal(ControlPartition partition, string instanceId, InstanceSession session)
    {
        if (!session.Locked && !session.Queued && session.Pending.Count > 0)
        {
            session.Queued = true;
            _ready.Writer.TryWrite((partition, instanceId));
        }
    }

    private async Task MoveToPoisonAsync(QueueClient queue, string messageId, string popReceipt, string body, CancellationToken cancellationToken)
    {
        await _poison.EnqueueAsync(body, null, cancellationToken).ConfigureAwait(false);
        await DeleteQuietlyAsync(queue, messageId, popReceipt).ConfigureAwait(false);
    }

    /// <summary>Deletes a message; one already deleted or re-received elsewhere is not an error (at-least-once).</summary>
    private static async Task DeleteQuietlyAsync(QueueClient queue, string messageId, string popReceipt)
    {
        try
        {
            await queue.DeleteMessageAsync(messageId, popReceipt, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 400 or 404)
        {
            // Already gone (MessageNotFound), or its receipt is stale because it was re-delivered (PopReceiptMismatch).
        }
    }

    /// <summary>
    /// Removes a consumed message: deletes a control message; settles an activity result delivered in
    /// memory, and once every result its activity message carries is settled, deletes that message or
    /// keeps it for a later activity send to rewrite (when no worker ever received it, so a rewrite starts
    /// with a fresh dequeue count).
    /// </summary>
    private Task ConsumeAsync(ReceivedMessage message)
    {
        if (message.Activity is not { } activity)
        {
            return DeleteQuietlyAsync(message.Queue, message.MessageId, message.PopReceipt);
        }

        if (!activity.Settle() || (activity.StoredDequeueCount == 0 && _spent.TryAdd(activity.MessageId, activity.PopReceipt, activity.HiddenFor)))
        {
            return Task.CompletedTask;
        }

        return DeleteQuietlyAsync(_workItems, activity.MessageId, activity.PopReceipt);
    }

    /// <summary>
    /// Makes a held message visible again after <paramref name="delay"/>. An activity message carrying
    /// several activities is left alone: the result never settles, so once its activities are done and its
    /// hold lapses, the message reappears and each of its activities runs again.
    /// </summary>
    private static async Task ReturnToQueueAsync(ReceivedMessage message, TimeSpan delay)
    {
        if (message.Activity is { } activity)
        {
            if (activity.Activities == 1)
            {
                await activity.ReturnAsync(delay).ConfigureAwait(false);
            }

            return;
        }

        try
        {
            await message.Queue.UpdateAsync(message.MessageId, message.PopReceipt, delay, null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 400 or 404)
        {
            // Deleted meanwhile, or already visible and taken by another owner.
        }
    }
}
