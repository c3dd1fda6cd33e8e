using System.Globalization;
using System.Security;
using System.Text;
using System.Xml.Linq;
using Azure.Core;
using ChurnFlows.Storage.Pipeline;

namespace ChurnFlows.Storage.Queues;

/// <summary>
/// One queue: send, receive with a visibility timeout, delete and update by pop receipt, peek and
/// count. Messages are at least once: a received message reappears unless deleted in time.
/// Immutable and thread-safe.
/// </summary>
public sealed class QueueClient
{
    /// <summary>The largest encoded message the service accepts (64 KiB).</summary>
    public const int MaxMessageBytes = 64 * 1024;

    private readonly StorageService _service;
    private readonly QueueMessageEncoding _encoding;

    internal QueueClient(StorageService service, string name, QueueMessageEncoding encoding)
    {
        _service = service;
        Name = name;
        _encoding = encoding;
    }

    /// <summary>Gets the queue name.</summary>
    public string Name { get; }

    /// <summary>Creates the queue unless it exists. Returns true when it was created.</summary>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = _service.CreateMessage(RequestMethod.Put, Name);
        var response = await _service.SendAsync(message, cancellationToken, 201, 204).ConfigureAwait(false);
        return response.Status == 201;
    }

    /// <summary>Deletes the queue. Returns false when it did not exist.</summary>
    public async Task<bool> DeleteIfExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = _service.CreateMessage(RequestMethod.Delete, Name);
        var response = await _service.SendAsync(message, cancellationToken, 204, 404).ConfigureAwait(false);
        return response.Status == 204;
    }

    /// <summary>
    /// Sends a message, invisible for <paramref name="visibilityDelay"/> (up to 7 days), living
    /// <paramref name="timeToLive"/> (null: 7 days; <see cref="Timeout.InfiniteTimeSpan"/>: forever).
    /// </summary>
    /// <exception cref="ArgumentException">The encoded message exceeds 64 KiB.</exception>
    public async Task<SendReceipt> SendMessageAsync(string body, TimeSpan? visibilityDelay = null, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var text = Encode(body);
        using var message = _service.CreateMessage(RequestMethod.Post, Name + "/messages");
        if (visibilityDelay is { } delay && delay > TimeSpan.Zero)
        {
            message.Request.Uri.AppendQuery("visibilitytimeout", Seconds(delay));
        }

        if (timeToLive is { } ttl)
        {
            message.Request.Uri.AppendQuery("messagettl", ttl == Timeout.InfiniteTimeSpan ? "-1" : Seconds(ttl));
        }

        message.Request.Headers.SetValue("Content-Type", "application/xml");
        message.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes($"<QueueMessage><MessageText>{text}</MessageText></QueueMessage>"));
        var response = await _service.SendAsync(message, cancellationToken, 201).ConfigureAwait(false);
        var m = XDocument.Parse(response.Content.ToString()).Root!.Element("QueueMessage")!;
        return new SendReceipt(m.Element("MessageId")!.Value, m.Element("PopReceipt")!.Value);
    }

    /// <summary>Receives up to <paramref name="maxMessages"/> (1–32) messages, hiding them for <paramref name="visibilityTimeout"/> (default 30 s).</summary>
    public async Task<IReadOnlyList<QueueMessage>> ReceiveMessagesAsync(int maxMessages = 1, TimeSpan? visibilityTimeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, 32);
        using var message = _service.CreateMessage(RequestMethod.Get, Name + "/messages");
        message.Request.Uri.AppendQuery("numofmessages", maxMessages.ToString(CultureInfo.InvariantCulture));
        message.Request.Uri.AppendQuery("visibilitytimeout", Seconds(visibilityTimeout ?? TimeSpan.FromSeconds(30)));
        var response = await _service.SendAsync(message, cancellationToken, 200).ConfigureAwait(false);
        return [.. Messages(response).Select(m => new QueueMessage(
            m.Element("MessageId")!.Value,
            m.Element("PopReceipt")!.Value,
            Decode(m.Element("MessageText")?.Value ?? string.Empty),
            long.Parse(m.Element("DequeueCount")!.Value, CultureInfo.InvariantCulture),
            Date(m.Element("InsertionTime")),
            Date(m.Element("TimeNextVisible"))))];
    }

    /// <summary>Peeks at up to <paramref name="maxMessages"/> (1–32) visible messages without dequeuing them.</summary>
    public async Task<IReadOnlyList<PeekedMessage>> PeekMessagesAsync(int maxMessages = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, 32);
        using var message = _service.CreateMessage(RequestMethod.Get, Name + "/messages");
        message.Request.Uri.AppendQuery("peekonly", "true");
        message.Request.Uri.AppendQuery("numofmessages", maxMessages.ToString(CultureInfo.InvariantCulture));
        var response = await _service.SendAsync(message, cancellationToken, 200).ConfigureAwait(false);
        return [.. Messages(response).Select(m => new PeekedMessage(
            m.Element("MessageId")!.Value,
            Decode(m.Element("MessageText")?.Value ?? string.Empty),
            long.Parse(m.Element("DequeueCount")!.Value, CultureInfo.InvariantCulture)))];
    }

    /// <summary>Deletes a received message. A stale receipt fails with 400/404 (<c>PopReceiptMismatch</c>/<c>MessageNotFound</c>).</summary>
    public async Task DeleteMessageAsync(string messageId, string popReceipt, CancellationToken cancellationToken = default)
    {
        using var message = _service.CreateMessage(RequestMethod.Delete, $"{Name}/messages/{Uri.EscapeDataString(messageId)}");
        message.Request.Uri.AppendQuery("popreceipt", popReceipt);
        await _service.SendAsync(message, cancellationToken, 204).ConfigureAwait(false);
    }

    /// <summary>Changes a received message's visibility and, when <paramref name="body"/> is given, its content.</summary>
    public async Task<UpdateReceipt> UpdateMessageAsync(string messageId, string popReceipt, TimeSpan visibilityTimeout, string? body = null, CancellationToken cancellationToken = default)
    {
        using var message = _service.CreateMessage(RequestMethod.Put, $"{Name}/messages/{Uri.EscapeDataString(messageId)}");
        message.Request.Uri.AppendQuery("popreceipt", popReceipt);
        message.Request.Uri.AppendQuery("visibilitytimeout", Seconds(visibilityTimeout));
        if (body is not null)
        {
            message.Request.Headers.SetValue("Content-Type", "application/xml");
            message.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes($"<QueueMessage><MessageText>{Encode(body)}</MessageText></QueueMessage>"));
        }

        var response = await _service.SendAsync(message, cancellationToken, 204).ConfigureAwait(false);
        response.Headers.TryGetValue("x-ms-time-next-visible", out var next);
        response.Headers.TryGetValue("x-ms-popreceipt", out var receipt);
        return new UpdateReceipt(receipt!, DateTimeOffset.Parse(next!, CultureInfo.InvariantCulture));
    }

    /// <summary>Gets the approximate number of messages (visible or not).</summary>
    public async Task<int> GetApproximateMessageCountAsync(CancellationToken cancellationToken = default)
    {
        using var message = _service.CreateMessage(RequestMethod.Get, Name);
        message.Request.Uri.AppendQuery("comp", "metadata");
        var response = await _service.SendAsync(message, cancellationToken, 200).ConfigureAwait(false);
        response.Headers.TryGetValue("x-ms-approximate-messages-count", out var count);
        return int.Parse(count ?? "0", CultureInfo.InvariantCulture);
    }

    /// <summary>Deletes every message in the queue.</summary>
    public async Task ClearMessagesAsync(CancellationToken cancellationToken = default)
    {
        using var message = _service.CreateMessage(RequestMethod.Delete, Name + "/messages");
        await _service.SendAsync(message, cancellationToken, 204).ConfigureAwait(false);
    }

    private string Encode(string body)
    {
        var text = _encoding == QueueMessageEncoding.Base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(body)) : SecurityElement.Escape(body);
        if (Encoding.UTF8.GetByteCount(text) > MaxMessageBytes)
        {
            throw new ArgumentException($"The message is {Encoding.UTF8.GetByteCount(text)} bytes once encoded; a queue message holds at most 64 KiB.", nameof(body));
        }

        return text;
    }

    private string Decode(string text) =>
        _encoding == QueueMessageEncoding.Base64 ? Encoding.UTF8.GetString(Convert.FromBase64String(text)) : text;

    private static IEnumerable<XElement> Messages(Azure.Response response) =>
        XDocument.Parse(response.Content.ToString()).Root?.Elements("QueueMessage") ?? [];

    private static DateTimeOffset Date(XElement? element) =>
        element is null ? default : DateTimeOffset.Parse(element.Value, CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan value) =>
        ((long)Math.Ceiling(value.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
