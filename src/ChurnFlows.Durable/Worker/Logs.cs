using Microsoft.Extensions.Logging;

namespace ChurnFlows.Durable.Worker;

/// <summary>The engine's log messages, with stable event ids.</summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Durable worker started ({Orchestrations} orchestration and {Activities} activity slots)")]
    public static partial void WorkerStarted(this ILogger logger, int orchestrations, int activities);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Durable worker stopped")]
    public static partial void WorkerStopped(this ILogger logger);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Orchestration {InstanceId} ({Name}) finished as {Status}")]
    public static partial void OrchestrationFinished(this ILogger logger, string instanceId, string name, OrchestrationRuntimeStatus status);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Episode of {InstanceId} failed and was abandoned for retry")]
    public static partial void EpisodeAbandoned(this ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Activity {Name} of {InstanceId} could not report and was abandoned for retry")]
    public static partial void ActivityAbandoned(this ILogger logger, string name, string instanceId, Exception exception);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "The worker's {Loop} loop hit a hub error; retrying")]
    public static partial void PollFailed(this ILogger logger, string loop, Exception exception);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "A second start of {InstanceId} (execution {ExecutionId}) was dropped: execution {CurrentExecutionId} is running")]
    public static partial void DuplicateStartDropped(this ILogger logger, string instanceId, string executionId, string? currentExecutionId);
}
