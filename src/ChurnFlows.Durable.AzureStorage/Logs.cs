using Microsoft.Extensions.Logging;

namespace ChurnFlows.Durable.AzureStorage;

/// <summary>The Azure Storage hub's log messages, with stable event ids.</summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Worker {WorkerId} acquired partition {Partition}")]
    public static partial void PartitionAcquired(ILogger logger, int partition, string workerId);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Worker {WorkerId} released partition {Partition} to rebalance")]
    public static partial void PartitionReleased(ILogger logger, int partition, string workerId);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Worker {WorkerId} lost partition {Partition} (its lease was taken or expired)")]
    public static partial void PartitionLost(ILogger logger, int partition, string workerId);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Partition ownership round failed; retrying")]
    public static partial void OwnershipFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Fetching from {Queue} failed; retrying")]
    public static partial void FetchFailed(ILogger logger, string queue, Exception exception);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "Message {MessageId} on {Queue} could not be read and was moved to the poison queue")]
    public static partial void UnreadableMessage(ILogger logger, string queue, string messageId, Exception exception);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Error, Message = "Message {MessageId} on {Queue} was dequeued {DequeueCount} times; moved to the poison queue and instance {InstanceId} is failed")]
    public static partial void PoisonMessage(ILogger logger, string queue, string messageId, long dequeueCount, string instanceId);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "Deleting history generation {Generation} of {InstanceId} failed; a purge removes it")]
    public static partial void RetireFailed(ILogger logger, string instanceId, int generation, Exception exception);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Preparing an episode of {InstanceId} failed; its messages are returned to the queue")]
    public static partial void SessionFailed(ILogger logger, string instanceId, Exception exception);
}
