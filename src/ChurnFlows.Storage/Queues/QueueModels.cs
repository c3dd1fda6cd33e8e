namespace ChurnFlows.Storage.Queues;

/// <summary>How message text is encoded in the queue.</summary>
public enum QueueMessageEncoding
{
    /// <summary>UTF-8 bytes as base64: what the Azure Functions queue trigger decodes by default.</summary>
    Base64,

    /// <summary>The text as is (must be XML-safe).</summary>
    None,
}

/// <summary>A received message, with the pop receipt needed to delete or update it.</summary>
/// <param name="MessageId">The message id.</param>
/// <param name="PopReceipt">The receipt of this dequeue; each receive or update issues a new one.</param>
/// <param name="Body">The decoded message text.</param>
/// <param name="DequeueCount">How many times the message has been received (1 on the first).</param>
/// <param name="InsertedOn">When it was enqueued.</param>
/// <param name="NextVisibleOn">When it becomes visible again unless deleted.</param>
public sealed record QueueMessage(string MessageId, string PopReceipt, string Body, long DequeueCount, DateTimeOffset InsertedOn, DateTimeOffset NextVisibleOn);

/// <summary>A peeked message (not dequeued, so no receipt).</summary>
/// <param name="MessageId">The message id.</param>
/// <param name="Body">The decoded message text.</param>
/// <param name="DequeueCount">How many times it has been received.</param>
public sealed record PeekedMessage(string MessageId, string Body, long DequeueCount);

/// <summary>What a send returned.</summary>
/// <param name="MessageId">The new message's id.</param>
/// <param name="PopReceipt">A receipt allowing the sender to delete or update it before it is received.</param>
public sealed record SendReceipt(string MessageId, string PopReceipt);

/// <summary>What an update returned.</summary>
/// <param name="PopReceipt">The new receipt; the old one is no longer valid.</param>
/// <param name="NextVisibleOn">When the message becomes visible.</param>
public sealed record UpdateReceipt(string PopReceipt, DateTimeOffset NextVisibleOn);
