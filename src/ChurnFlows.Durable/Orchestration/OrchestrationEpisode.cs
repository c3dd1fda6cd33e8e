using ChurnFlows.Durable.History;

namespace ChurnFlows.Durable.Orchestration;

/// <summary>What one episode of an orchestration produced: events to record, actions to dispatch and the resulting state.</summary>
public sealed record OrchestrationEpisode
{
    /// <summary>Gets the events to append to history, in order.</summary>
    public required IReadOnlyList<HistoryEvent> NewEvents { get; init; }

    /// <summary>Gets the new actions to dispatch.</summary>
    public required IReadOnlyList<OrchestratorAction> Actions { get; init; }

    /// <summary>Gets the status after the episode.</summary>
    public required OrchestrationRuntimeStatus Status { get; init; }

    /// <summary>Gets the serialized output (completed) or reason (terminated).</summary>
    public string? Output { get; init; }

    /// <summary>Gets the failure, when the orchestration failed.</summary>
    public TaskFailureDetails? Failure { get; init; }

    /// <summary>Gets the serialized custom status.</summary>
    public string? CustomStatus { get; init; }

    /// <summary>Gets the new input when the orchestration continued as new.</summary>
    public string? ContinueAsNewInput { get; init; }

    /// <summary>Gets whether the orchestration continued as new.</summary>
    public bool ContinuedAsNew { get; init; }

    /// <summary>Gets unprocessed events to carry into the new execution.</summary>
    public IReadOnlyList<EventRaisedEvent> CarryoverEvents { get; init; } = [];

    /// <summary>Gets whether the instance reached a terminal state.</summary>
    public bool IsTerminal => Status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated || ContinuedAsNew;
}
