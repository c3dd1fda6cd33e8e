using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace ChurnFlows.Durable.AzureStorage;

/// <summary>
/// The queue calls the hub makes, with the hub's conventions: messages live until deleted, and visibility
/// times are rounded up to whole seconds (the service takes whole seconds and the SDK truncates, which would
/// make a timer due in 0.5 s visible at once and a message meant to stay hidden visible a moment early).
/// </summary>
internal static class QueueOperations
{
    /// <summary>The time to live the service reads as "never expires".</summary>
    private static readonly TimeSpan Forever = TimeSpan.FromSeconds(-1);

    /// <summary>Sends <paramref name="body"/>, hidden for <paramref name="hiddenFor"/> (null or zero: visible now), never expiring.</summary>
    public static async Task<SendReceipt> EnqueueAsync(this QueueClient queue, string body, TimeSpan? hiddenFor, CancellationToken cancellationToken)
    {
        var hidden = hiddenFor is { } delay && delay > TimeSpan.Zero ? WholeSeconds(delay) : (TimeSpan?)null;
        return (await queue.SendMessageAsync(body, hidden, Forever, cancellationToken).ConfigureAwait(false)).Value;
    }

    /// <summary>Receives up to <paramref name="maxMessages"/> messages, hiding them for <paramref name="visibility"/>.</summary>
    public static async Task<QueueMessage[]> ReceiveAsync(this QueueClient queue, int maxMessages, TimeSpan visibility, CancellationToken cancellationToken) =>
        (await queue.ReceiveMessagesAsync(maxMessages, WholeSeconds(visibility), cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>Makes a held message visible after <paramref name="visibility"/> and, when <paramref name="body"/> is given, rewrites it; returns the new receipt.</summary>
    public static async Task<UpdateReceipt> UpdateAsync(this QueueClient queue, string messageId, string popReceipt, TimeSpan visibility, string? body, CancellationToken cancellationToken) =>
        (await queue.UpdateMessageAsync(messageId, popReceipt, body, WholeSeconds(visibility), cancellationToken).ConfigureAwait(false)).Value;

    private static TimeSpan WholeSeconds(TimeSpan span) => span <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Ceiling(span.TotalSeconds));
}
