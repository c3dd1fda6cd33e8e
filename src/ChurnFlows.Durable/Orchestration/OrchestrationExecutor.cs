using ChurnFlows.Durable.History;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChurnFlows.Durable.Orchestration;

/// <summary>
/// Runs one orchestration instance's code against its history: replays recorded events (matching
/// every recorded scheduling event to the action the code makes now, failing the instance on a
/// mismatch), then feeds an episode's new events and collects the new actions. Stays alive between
/// episodes (the session cache), so a cached instance never replays. Not thread-safe: one episode at a time.
/// </summary>
public sealed partial class OrchestrationExecutor : TaskOrchestrationContext
{
    private readonly Func<string, ITaskOrchestrator?> _resolve;
    private readonly DataConverter _converter;
    private readonly ILoggerFactory _loggerFactory;
    private readonly OrchestrationSynchronizationContext _scheduler = new();
    private readonly SortedDictionary<int, OrchestratorAction> _pending = [];
    private readonly Dictionary<int, (OrchestratorAction Action, Action<HistoryEvent> Complete)> _open = [];
    private readonly Dictionary<string, Queue<Action<string?>>> _waiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Queue<EventRaisedEvent>> _buffered = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<HistoryEvent> _suspendedBuffer = [];
    private string? _input;
    private int _sequence;
    private int _guidCounter;
    private Task<object?>? _userTask;
    private bool _suspended;
    private bool _terminated;
    private string? _terminationReason;
    private TaskFailureDetails? _failure;
    private string? _customStatus;
    private (bool Requested, string? Input, bool Preserve) _continueAsNew;

    /// <summary>Creates an executor; <paramref name="resolve"/> maps an orchestrator name to its implementation.</summary>
    public OrchestrationExecutor(string instanceId, Func<string, ITaskOrchestrator?> resolve, DataConverter? converter = null, ILoggerFactory? loggerFactory = null)
    {
        InstanceId = instanceId;
        _resolve = resolve;
        _converter = converter ?? JsonDataConverter.Default;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    }

    /// <inheritdoc />
    public override string Name => _name;

    /// <inheritdoc />
    public override string InstanceId { get; }

    /// <inheritdoc />
    public override ParentInstance? Parent => _parent;

    /// <inheritdoc />
    public override DateTime CurrentUtcDateTime => _now;

    /// <inheritdoc />
    public override bool IsReplaying => _replaying;

    /// <summary>Gets the number of history events this executor has seen (past and produced).</summary>
    public int HistoryCount { get; private set; }

    /// <summary>Gets the current execution id.</summary>
    public string? ExecutionId { get; private set; }

    private string _name = string.Empty;
    private ParentInstance? _parent;
    private DateTime _now;
    private bool _replaying;

    /// <summary>Replays recorded history (on a cache miss). A non-determinism problem is kept and reported by the next episode.</summary>
    public void Replay(IReadOnlyList<HistoryEvent> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        _replaying = true;
        try
        {
            foreach (var e in history)
            {
                Feed(e);
            }
        }
        finally
        {
            _replaying = false;
            HistoryCount += history.Count;
        }
    }

    /// <summary>Runs one episode over <paramref name="newEvents"/> at time <paramref name="now"/>.</summary>
    public OrchestrationEpisode ExecuteEpisode(IReadOnlyList<HistoryEvent> newEvents, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(newEvents);
        var recorded = new List<HistoryEvent>(newEvents.Count + 4) { new OrchestratorStartedEvent(now) };
        Feed(recorded[0]);
        foreach (var e in newEvents)
        {
            if (IsFinished)
            {
                if (_continueAsNew.Requested && e is EventRaisedEvent raised)
                {
                    Deliver(raised); // carried into the next execution
                }

                continue;
            }

            if (IsDuplicate(e))
            {
                continue;
            }

            recorded.Add(e);
            Feed(e);
        }

        var actions = new List<OrchestratorAction>();
        if (!_terminated && _failure is null)
        {
            foreach (var action in _pending.Values)
            {
                actions.Add(action);
                recorded.Add(ToScheduledEvent(action, now));
            }
        }

        _pending.Clear();
        var episode = Finish(recorded, actions, now);
        recorded.Add(new OrchestratorCompletedEvent(now));
        HistoryCount += recorded.Count;
        return episode with { NewEvents = recorded };
    }

    /// <summary>Gets whether the current execution has ended: completed, failed, terminated or continued as new.</summary>
    public bool IsFinished => _terminated || _failure is not null || (_userTask?.IsCompleted ?? false);

    private OrchestrationEpisode Finish(List<HistoryEvent> recorded, List<OrchestratorAction> actions, DateTime now)
    {
        if (_terminated)
        {
            return new OrchestrationEpisode { NewEvents = recorded, Actions = [], Status = OrchestrationRuntimeStatus.Terminated, Output = _terminationReason, CustomStatus = _customStatus };
        }

        var failure = _failure ?? (_userTask is { IsFaulted: true } faulted ? TaskFailureDetails.FromException(faulted.Exception!.InnerException!) : null);
        if (failure is not null)
        {
            recorded.Add(new ExecutionCompletedEvent(now, OrchestrationRuntimeStatus.Failed, null, failure));
            return new OrchestrationEpisode { NewEvents = recorded, Actions = actions, Status = OrchestrationRuntimeStatus.Failed, Failure = failure, CustomStatus = _customStatus };
        }

        if (_userTask is { IsCompletedSuccessfully: true } done)
        {
            if (_continueAsNew.Requested)
            {
                recorded.Add(new ContinueAsNewEvent(now, _continueAsNew.Input));
                var carry = _continueAsNew.Preserve ? _buffered.Values.SelectMany(q => q).OrderBy(e => e.Timestamp).ToList() : [];
                return new OrchestrationEpisode { NewEvents = recorded, Actions = actions, Status = OrchestrationRuntimeStatus.ContinuedAsNew, ContinuedAsNew = true, ContinueAsNewInput = _continueAsNew.Input, CarryoverEvents = carry, CustomStatus = _customStatus };
            }

            var output = _converter.Serialize(done.Result);
            recorded.Add(new ExecutionCompletedEvent(now, OrchestrationRuntimeStatus.Completed, output));
            return new OrchestrationEpisode { NewEvents = recorded, Actions = actions, Status = OrchestrationRuntimeStatus.Completed, Output = output, CustomStatus = _customStatus };
        }

        return new OrchestrationEpisode { NewEvents = recorded, Actions = actions, Status = _suspended ? OrchestrationRuntimeStatus.Suspended : OrchestrationRuntimeStatus.Running, CustomStatus = _customStatus };
    }

    private bool IsDuplicate(HistoryEvent e)
    {
        var id = CompletionId(e);
        return id >= 0 && !_open.ContainsKey(id);
    }

    private static int CompletionId(HistoryEvent e) => e switch
    {
        TaskCompletedEvent c => c.TaskScheduledId,
        TaskFailedEvent f => f.TaskScheduledId,
        SubOrchestrationInstanceCompletedEvent c => c.TaskScheduledId,
        SubOrchestrationInstanceFailedEvent f => f.TaskScheduledId,
        TimerFiredEvent t => t.TimerId,
        _ => -1,
    };

    private static HistoryEvent ToScheduledEvent(OrchestratorAction action, DateTime now) => action switch
    {
        ScheduleTaskAction a => new TaskScheduledEvent(a.Id, now, a.Name, a.Input),
        CreateTimerAction t => new TimerCreatedEvent(t.Id, now, t.FireAt),
        CreateSubOrchestrationAction s => new SubOrchestrationInstanceCreatedEvent(s.Id, now, s.Name, s.InstanceId, s.Input),
        SendEventAction s => new EventSentEvent(s.Id, now, s.InstanceId, s.Name, s.Input),
        _ => throw new InvalidOperationException($"Unknown action {action.GetType().Name}."),
    };
}
