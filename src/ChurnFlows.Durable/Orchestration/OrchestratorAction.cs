namespace ChurnFlows.Durable.Orchestration;

/// <summary>Something an orchestrator asked for, identified by its sequence id.</summary>
/// <param name="Id">The sequence id.</param>
public abstract record OrchestratorAction(int Id);

/// <summary>Run an activity.</summary>
/// <param name="Id">The sequence id.</param>
/// <param name="Name">The activity name.</param>
/// <param name="Input">The serialized input.</param>
public sealed record ScheduleTaskAction(int Id, string Name, string? Input) : OrchestratorAction(Id);

/// <summary>Start a durable timer.</summary>
/// <param name="Id">The sequence id.</param>
/// <param name="FireAt">When it fires (UTC).</param>
public sealed record CreateTimerAction(int Id, DateTime FireAt) : OrchestratorAction(Id);

/// <summary>Start a sub-orchestration.</summary>
/// <param name="Id">The sequence id.</param>
/// <param name="Name">The orchestrator name.</param>
/// <param name="InstanceId">The child instance id.</param>
/// <param name="Input">The serialized input.</param>
public sealed record CreateSubOrchestrationAction(int Id, string Name, string InstanceId, string? Input) : OrchestratorAction(Id);

/// <summary>Raise an event on another instance.</summary>
/// <param name="Id">The sequence id.</param>
/// <param name="InstanceId">The target.</param>
/// <param name="Name">The event name.</param>
/// <param name="Input">The serialized payload.</param>
public sealed record SendEventAction(int Id, string InstanceId, string Name, string? Input) : OrchestratorAction(Id);
