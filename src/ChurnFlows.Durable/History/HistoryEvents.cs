using System.Text.Json.Serialization;

namespace ChurnFlows.Durable.History;

/// <summary>
/// One event of an orchestration's event-sourced history. <see cref="EventId"/> is the sequence
/// id of the action that scheduled it (activities, timers, sub-orchestrations, sent events) or -1.
/// Serialized with a <c>type</c> discriminator so backends can store events as rows.
/// </summary>
/// <param name="EventId">The scheduling sequence id, or -1.</param>
/// <param name="Timestamp">When the event was recorded (UTC).</param>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ExecutionStartedEvent), "ExecutionStarted")]
[JsonDerivedType(typeof(ExecutionCompletedEvent), "ExecutionCompleted")]
[JsonDerivedType(typeof(ExecutionTerminatedEvent), "ExecutionTerminated")]
[JsonDerivedType(typeof(ExecutionSuspendedEvent), "ExecutionSuspended")]
[JsonDerivedType(typeof(ExecutionResumedEvent), "ExecutionResumed")]
[JsonDerivedType(typeof(ContinueAsNewEvent), "ContinueAsNew")]
[JsonDerivedType(typeof(TaskScheduledEvent), "TaskScheduled")]
[JsonDerivedType(typeof(TaskCompletedEvent), "TaskCompleted")]
[JsonDerivedType(typeof(TaskFailedEvent), "TaskFailed")]
[JsonDerivedType(typeof(SubOrchestrationInstanceCreatedEvent), "SubOrchestrationInstanceCreated")]
[JsonDerivedType(typeof(SubOrchestrationInstanceCompletedEvent), "SubOrchestrationInstanceCompleted")]
[JsonDerivedType(typeof(SubOrchestrationInstanceFailedEvent), "SubOrchestrationInstanceFailed")]
[JsonDerivedType(typeof(TimerCreatedEvent), "TimerCreated")]
[JsonDerivedType(typeof(TimerFiredEvent), "TimerFired")]
[JsonDerivedType(typeof(EventRaisedEvent), "EventRaised")]
[JsonDerivedType(typeof(EventSentEvent), "EventSent")]
[JsonDerivedType(typeof(OrchestratorStartedEvent), "OrchestratorStarted")]
[JsonDerivedType(typeof(OrchestratorCompletedEvent), "OrchestratorCompleted")]
public abstract record HistoryEvent(int EventId, DateTime Timestamp);

/// <summary>Where a sub-orchestration reports back to.</summary>
/// <param name="InstanceId">The parent instance.</param>
/// <param name="TaskScheduledId">The parent's sequence id for this sub-orchestration.</param>
public sealed record ParentInstance(string InstanceId, int TaskScheduledId);

/// <summary>An execution began.</summary>
/// <param name="Timestamp">When.</param>
/// <param name="Name">The orchestrator name.</param>
/// <param name="InstanceId">The instance id.</param>
/// <param name="ExecutionId">A new id per execution (changes on ContinueAsNew).</param>
/// <param name="Input">The serialized input.</param>
/// <param name="Parent">The parent, for sub-orchestrations.</param>
/// <param name="ScheduledStartTime">A delayed start time, if any.</param>
public sealed record ExecutionStartedEvent(DateTime Timestamp, string Name, string InstanceId, string ExecutionId, string? Input, ParentInstance? Parent = null, DateTime? ScheduledStartTime = null) : HistoryEvent(-1, Timestamp);

/// <summary>The execution ended (Completed or Failed).</summary>
/// <param name="Timestamp">When.</param>
/// <param name="Status">The final status.</param>
/// <param name="Result">The serialized output.</param>
/// <param name="FailureDetails">Why it failed, if it did.</param>
public sealed record ExecutionCompletedEvent(DateTime Timestamp, OrchestrationRuntimeStatus Status, string? Result, TaskFailureDetails? FailureDetails = null) : HistoryEvent(-1, Timestamp);

/// <summary>The instance was terminated.</summary>
/// <param name="Timestamp">When.</param>
/// <param name="Reason">The serialized output/reason given.</param>
public sealed record ExecutionTerminatedEvent(DateTime Timestamp, string? Reason) : HistoryEvent(-1, Timestamp);

/// <summary>The instance was suspended: later events wait until it is resumed.</summary>
/// <param name="Timestamp">When.</param>
/// <param name="Reason">Why.</param>
public sealed record ExecutionSuspendedEvent(DateTime Timestamp, string? Reason) : HistoryEvent(-1, Timestamp);

/// <summary>The instance was resumed.</summary>
/// <param name="Timestamp">When.</param>
/// <param name="Reason">Why.</param>
public sealed record ExecutionResumedEvent(DateTime Timestamp, string? Reason) : HistoryEvent(-1, Timestamp);

/// <summary>The execution ended by continuing as new with <paramref name="Input"/>.</summary>
/// <param name="Timestamp">When.</param>
/// <param name="Input">The new execution's input.</param>
public sealed record ContinueAsNewEvent(DateTime Timestamp, string? Input) : HistoryEvent(-1, Timestamp);

/// <summary>An activity was scheduled.</summary>
/// <param name="EventId">Its sequence id.</param>
/// <param name="Timestamp">When.</param>
/// <param name="Name">The activity name.</param>
/// <param name="Input">The serialized input.</param>
public sealed record TaskScheduledEvent(int EventId, DateTime Timestamp, string Name, string? Input) : HistoryEvent(EventId, Timestamp);

/// <summary>An activity completed.</summary>
/// <param name="Timestamp">When.</param>
/// <param name="TaskScheduledId">The sequence id of its TaskScheduled event.</param>
/// <param name="Result">The serialized result.</param>
public sealed record TaskCompletedEvent(DateTime Timestamp, int TaskScheduledId, string? Result) : HistoryEvent(-1, Timestamp);

/// <summary>An activity failed.</summary>
/// <param name="Timestamp">When.</param>
/// <param name="TaskScheduledId">The sequence id of its TaskScheduled event.</param>
/// <param name="FailureDetails">What went wrong.</param>
public sealed record TaskFailedEvent(DateTime Timestamp, int TaskScheduledId, TaskFailureDetails FailureDetails) : HistoryEvent(-1, Timestamp);

/// <summary>A sub-orchestration was started.</summary>
/// <param name="EventId">Its sequence id.</param>
/// <param name="Timestamp">When.</param>
/// <param name="Name">The orchestrator name.</param>
/// <param name="InstanceId">The child instance id.</param>
/// <param name="Input">The serialized input.</param>
public sealed record SubOrchestrationInstanceCreatedEvent(int EventId, DateTime Timestamp, string Name, string InstanceId, string? Input) : HistoryEvent(EventId, Timestamp);

/// <summary>A sub-orchestration completed.</summary>
/// <param name="Timestamp">When.</param>
/// <param name="TaskScheduledId">The parent's sequence id for it.</param>
/// <param name="Result">The serialized output.</param>
public sealed record SubOrchestrationInstanceCompletedEvent(DateTime Timestamp, int TaskScheduledId, string? Result) : HistoryEvent(-1, Timestamp);

/// <summary>A sub-orchestration failed.</summary>
/// <param name="Timestamp">When.</param>
/// <param name="TaskScheduledId">The parent's sequence id for it.</param>
/// <param name="FailureDetails">What went wrong.</param>
public sealed record SubOrchestrationInstanceFailedEvent(DateTime Timestamp, int TaskScheduledId, TaskFailureDetails FailureDetails) : HistoryEvent(-1, Timestamp);

/// <summary>A durable timer was created.</summary>
/// <param name="EventId">Its sequence id.</param>
/// <param name="Timestamp">When.</param>
/// <param name="FireAt">When it fires (UTC).</param>
public sealed record TimerCreatedEvent(int EventId, DateTime Timestamp, DateTime FireAt) : HistoryEvent(EventId, Timestamp);

/// <summary>A durable timer fired.</summary>
/// <param name="Timestamp">When.</param>
/// <param name="TimerId">The sequence id of its TimerCreated event.</param>
/// <param name="FireAt">When it was due.</param>
public sealed record TimerFiredEvent(DateTime Timestamp, int TimerId, DateTime FireAt) : HistoryEvent(-1, Timestamp);

/// <summary>An external event arrived.</summary>
/// <param name="Timestamp">When.</param>
/// <param name="Name">The event name.</param>
/// <param name="Input">The serialized payload.</param>
public sealed record EventRaisedEvent(DateTime Timestamp, string Name, string? Input) : HistoryEvent(-1, Timestamp);

/// <summary>The orchestration sent an event to another instance.</summary>
/// <param name="EventId">Its sequence id.</param>
/// <param name="Timestamp">When.</param>
/// <param name="InstanceId">The target instance.</param>
/// <param name="Name">The event name.</param>
/// <param name="Input">The serialized payload.</param>
public sealed record EventSentEvent(int EventId, DateTime Timestamp, string InstanceId, string Name, string? Input) : HistoryEvent(EventId, Timestamp);

/// <summary>An episode began; its timestamp is the orchestration's current time for the episode.</summary>
/// <param name="Timestamp">When.</param>
public sealed record OrchestratorStartedEvent(DateTime Timestamp) : HistoryEvent(-1, Timestamp);

/// <summary>An episode ended.</summary>
/// <param name="Timestamp">When.</param>
public sealed record OrchestratorCompletedEvent(DateTime Timestamp) : HistoryEvent(-1, Timestamp);
