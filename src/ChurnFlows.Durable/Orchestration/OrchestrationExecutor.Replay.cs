using ChurnFlows.Durable.History;

namespace ChurnFlows.Durable.Orchestration;

/// <summary>Feeding history events to the running code.</summary>
public sealed partial class OrchestrationExecutor
{
    private void Feed(HistoryEvent e)
    {
        if (_terminated || _failure is not null)
        {
            return;
        }

        try
        {
            _scheduler.Run(() => Apply(e));
        }
        catch (NonDeterministicOrchestrationException ex)
        {
            _failure = TaskFailureDetails.FromException(ex);
        }
    }

    private void Apply(HistoryEvent e)
    {
        switch (e)
        {
            case OrchestratorStartedEvent started:
                _now = started.Timestamp;
                return;
            case ExecutionStartedEvent start:
                Start(start);
                return;
            case ExecutionTerminatedEvent terminated:
                _terminated = true;
                _terminationReason = terminated.Reason;
                return;
            case ExecutionSuspendedEvent:
                _suspended = true;
                return;
            case ExecutionResumedEvent:
                _suspended = false;
                var buffered = _suspendedBuffer.ToList();
                _suspendedBuffer.Clear();
                foreach (var b in buffered)
                {
                    Apply(b);
                }

                return;
            case TaskScheduledEvent or TimerCreatedEvent or SubOrchestrationInstanceCreatedEvent or EventSentEvent:
                MatchRecordedAction(e);
                return;
            case ExecutionCompletedEvent or ContinueAsNewEvent or OrchestratorCompletedEvent:
                return;
        }

        if (_suspended)
        {
            _suspendedBuffer.Add(e);
            return;
        }

        if (e is EventRaisedEvent raised)
        {
            Deliver(raised);
            return;
        }

        var id = CompletionId(e);
        if (id >= 0 && _open.Remove(id, out var open))
        {
            open.Complete(e);
        }
    }

    private void Start(ExecutionStartedEvent start)
    {
        _name = start.Name;
        _parent = start.Parent;
        _input = start.Input;
        ExecutionId = start.ExecutionId;
        var orchestrator = _resolve(start.Name);
        if (orchestrator is null)
        {
            _failure = new TaskFailureDetails(typeof(InvalidOperationException).FullName!, $"No orchestrator named '{start.Name}' is registered with this worker.");
            return;
        }

        object? input;
        try
        {
            input = _converter.Deserialize(start.Input, orchestrator.InputType);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException)
        {
            _failure = new TaskFailureDetails(ex.GetType().FullName!, $"The input of '{start.Name}' could not be read as {orchestrator.InputType.Name}: {ex.Message}");
            return;
        }

        _userTask = orchestrator.RunAsync(this, input);
    }

    private void MatchRecordedAction(HistoryEvent recorded)
    {
        if (!_pending.Remove(recorded.EventId, out var action))
        {
            throw new NonDeterministicOrchestrationException(
                $"Non-deterministic orchestration '{Name}' ({InstanceId}): history has {Describe(recorded)} at sequence id {recorded.EventId}, but the code did not schedule anything there on replay. Was the orchestrator changed while instances were running?");
        }

        var matches = (recorded, action) switch
        {
            (TaskScheduledEvent t, ScheduleTaskAction a) => string.Equals(t.Name, a.Name, StringComparison.OrdinalIgnoreCase),
            (TimerCreatedEvent, CreateTimerAction) => true,
            (SubOrchestrationInstanceCreatedEvent s, CreateSubOrchestrationAction a) => string.Equals(s.Name, a.Name, StringComparison.OrdinalIgnoreCase),
            (EventSentEvent s, SendEventAction a) => s.Name == a.Name && s.InstanceId == a.InstanceId,
            _ => false,
        };
        if (!matches)
        {
            throw new NonDeterministicOrchestrationException(
                $"Non-deterministic orchestration '{Name}' ({InstanceId}): at sequence id {recorded.EventId} history has {Describe(recorded)} but the code now does {Describe(action)}. Was the orchestrator changed while instances were running?");
        }
    }

    private static string Describe(HistoryEvent e) => e switch
    {
        TaskScheduledEvent t => $"activity '{t.Name}'",
        TimerCreatedEvent t => $"a timer for {t.FireAt:o}",
        SubOrchestrationInstanceCreatedEvent s => $"sub-orchestration '{s.Name}'",
        EventSentEvent s => $"event '{s.Name}' sent to '{s.InstanceId}'",
        _ => e.GetType().Name,
    };

    private static string Describe(OrchestratorAction a) => a switch
    {
        ScheduleTaskAction t => $"activity '{t.Name}'",
        CreateTimerAction t => $"a timer for {t.FireAt:o}",
        CreateSubOrchestrationAction s => $"sub-orchestration '{s.Name}'",
        SendEventAction s => $"event '{s.Name}' sent to '{s.InstanceId}'",
        _ => a.GetType().Name,
    };

    private void Deliver(EventRaisedEvent raised)
    {
        if (_waiters.TryGetValue(raised.Name, out var queue) && queue.TryDequeue(out var waiter))
        {
            waiter(raised.Input);
            return;
        }

        if (!_buffered.TryGetValue(raised.Name, out var buffer))
        {
            _buffered[raised.Name] = buffer = new Queue<EventRaisedEvent>();
        }

        buffer.Enqueue(raised);
    }
}
