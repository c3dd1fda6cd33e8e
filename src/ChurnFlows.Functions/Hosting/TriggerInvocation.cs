namespace ChurnFlows.Functions.Hosting;

/// <summary>The parsed trigger data of one invocation; exactly one of <see cref="Timer"/>, <see cref="Blob"/>, <see cref="Queue"/> is set.</summary>
/// <param name="functionName">The function invoked.</param>
/// <param name="invocationId">The invocation id (the host's, or a new one standalone).</param>
public sealed class TriggerInvocation(string functionName, string invocationId)
{
    private readonly List<string> _logs = [];

    /// <summary>Gets the function invoked.</summary>
    public string FunctionName { get; } = functionName;

    /// <summary>Gets the invocation id (the host's, or a new one standalone).</summary>
    public string InvocationId { get; } = invocationId;

    /// <summary>Gets the timer information of a timer invocation.</summary>
    public TimerInfo? Timer { get; init; }

    /// <summary>Gets the blob of a blob invocation.</summary>
    public BlobTriggerData? Blob { get; init; }

    /// <summary>Gets the message of a queue invocation.</summary>
    public QueueTriggerData? Queue { get; init; }

    /// <summary>Gets the lines logged with <see cref="Log"/>; under the host they are returned in the invocation's <c>Logs</c>.</summary>
    public IReadOnlyList<string> Logs
    {
        get
        {
            lock (_logs)
            {
                return [.. _logs];
            }
        }
    }

    /// <summary>Records a line for the invocation's log.</summary>
    public void Log(string message)
    {
        lock (_logs)
        {
            _logs.Add(message);
        }
    }
}

/// <summary>The timer state of a timer invocation (the host's <c>TimerInfo</c>).</summary>
/// <param name="IsPastDue">Whether the invocation runs later than scheduled.</param>
/// <param name="Last">When it last ran, if known.</param>
/// <param name="Next">When it runs next, if known.</param>
public sealed record TimerInfo(bool IsPastDue, DateTimeOffset? Last, DateTimeOffset? Next);

/// <summary>The blob of a blob invocation.</summary>
/// <param name="Container">The container.</param>
/// <param name="Name">The blob name within the container (the <c>{name}</c> of the path, with any prefix).</param>
/// <param name="Content">The blob's bytes.</param>
public sealed record BlobTriggerData(string Container, string Name, BinaryData Content)
{
    /// <summary>Gets the blob's ETag without quotes, when known.</summary>
    public string? ETag { get; init; }

    /// <summary>Gets the blob's URI, when known.</summary>
    public Uri? Uri { get; init; }

    /// <summary>Gets the blob's metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}

/// <summary>The message of a queue invocation.</summary>
/// <param name="QueueName">The queue.</param>
/// <param name="MessageId">The message id.</param>
/// <param name="Text">The message text (base64-decoded).</param>
/// <param name="DequeueCount">How many times it has been dequeued, this time included.</param>
public sealed record QueueTriggerData(string QueueName, string MessageId, string Text, long DequeueCount)
{
    /// <summary>Gets when the message was inserted, when known.</summary>
    public DateTimeOffset? InsertedOn { get; init; }
}
