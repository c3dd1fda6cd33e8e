using System.Diagnostics;
using ChurnFlows.Durable.History;
using ChurnFlows.Durable.Hub;
using ChurnFlows.Durable.Orchestration;

namespace ChurnFlows.Durable.Worker;

/// <summary>Running one orchestration episode and turning its actions into messages.</summary>
public sealed partial class DurableTaskWorker
{
    /// <summary>
    /// Keeps the one start that may begin a new execution: the first when the instance has none or its
    /// execution has ended. Any other start is a duplicate (a redelivery, or two clients that raced to
    /// create the same id) and is dropped, so a running instance is never restarted under its own feet.
    /// </summary>
    private (List<HistoryEvent> Events, ExecutionStartedEvent? Restart) AcceptStarts(OrchestrationWorkItem item, OrchestrationExecutor executor)
    {
        var accepting = executor.ExecutionId is null || executor.IsFinished;
        ExecutionStartedEvent? restart = null;
        var events = new List<HistoryEvent>(item.NewMessages.Count);
        foreach (var e in item.NewMessages.Select(m => m.Event))
        {
            if (e is ExecutionStartedEvent start)
            {
                if (!accepting || start.ExecutionId == executor.ExecutionId)
                {
                    _logger.DuplicateStartDropped(item.InstanceId, start.ExecutionId, executor.ExecutionId ?? restart?.ExecutionId);
                    continue;
                }

                accepting = false;
                restart = start;
            }

            events.Add(e);
        }

        return (events, restart);
    }

    private async Task ProcessOrchestrationAsync(OrchestrationWorkItem item)
    {
        OrchestrationExecutor? executor = null;
        using var span = DurableTelemetry.Source.StartActivity("orchestration episode");
        span?.SetTag("durable.instance_id", item.InstanceId);
        span?.SetTag("durable.messages", item.NewMessages.Count);
        var started = Stopwatch.GetTimestamp();
        try
        {
            executor = await GetExecutorAsync(item).ConfigureAwait(false);
            var (events, restart) = AcceptStarts(item, executor);
            if (restart is not null && executor.ExecutionId is not null)
            {
                // A new execution (ContinueAsNew or a restart) begins with fresh state.
                executor = NewExecutor(item.InstanceId);
                events = [.. events.SkipWhile(e => e != restart)];
            }

            var episode = executor.ExecuteEpisode(events, _options.TimeProvider.GetUtcNow().UtcDateTime);
            var checkpoint = BuildCheckpoint(item.InstanceId, executor, episode);

            // Cache before the checkpoint makes the new state visible, so a reader who sees it and then
            // drops the cache really drops this executor. The instance stays locked until the checkpoint
            // ends, and a failed checkpoint removes the entry again (below).
            lock (_cache)
            {
                if (episode.IsTerminal || executor.ExecutionId is null)
                {
                    _cache.Remove(item.InstanceId);
                }
                else
                {
                    if (_cache.Count >= _options.SessionCacheSize && !_cache.ContainsKey(item.InstanceId))
                    {
                        _cache.Remove(_cache.Keys.First());
                    }

                    _cache[item.InstanceId] = executor;
                }
            }

            await _hub.CompleteOrchestrationWorkItemAsync(item, checkpoint, CancellationToken.None).ConfigureAwait(false);
            span?.SetTag("durable.orchestrator", executor.Name);
            DurableTelemetry.RecordEpisode(Stopwatch.GetElapsedTime(started));

            if (episode.IsTerminal)
            {
                Logs.OrchestrationFinished(_logger, item.InstanceId, executor.Name, episode.Status);
            }
        }
        catch (Exception e)
        {
            lock (_cache)
            {
                _cache.Remove(item.InstanceId);
            }

            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            _logger.EpisodeAbandoned(item.InstanceId, e);
            await _hub.AbandonOrchestrationWorkItemAsync(item, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<OrchestrationExecutor> GetExecutorAsync(OrchestrationWorkItem item)
    {
        lock (_cache)
        {
            if (_cache.TryGetValue(item.InstanceId, out var cached) && cached.HistoryCount == item.HistoryCount)
            {
                return cached;
            }
        }

        var executor = NewExecutor(item.InstanceId);
        if (item.HistoryCount > 0)
        {
            Interlocked.Increment(ref _cacheMisses);
            executor.Replay(await _hub.GetHistoryAsync(item.InstanceId).ConfigureAwait(false));
        }

        return executor;
    }

    private OrchestrationExecutor NewExecutor(string instanceId) =>
        new(instanceId, _registry.CreateOrchestrator, _options.DataConverter, _loggerFactory);

    private static OrchestrationCheckpoint BuildCheckpoint(string instanceId, OrchestrationExecutor executor, OrchestrationEpisode episode)
    {
        var now = episode.NewEvents[0].Timestamp;
        var activities = new List<TaskMessage>();
        var orchestrators = new List<TaskMessage>();
        var timers = new List<TaskMessage>();
        foreach (var action in episode.Actions)
        {
            switch (action)
            {
                case ScheduleTaskAction a:
                    activities.Add(new TaskMessage(instanceId, new TaskScheduledEvent(a.Id, now, a.Name, a.Input)));
                    break;
                case CreateTimerAction t:
                    timers.Add(new TaskMessage(instanceId, new TimerFiredEvent(t.FireAt, t.Id, t.FireAt)));
                    break;
                case CreateSubOrchestrationAction s:
                    orchestrators.Add(new TaskMessage(s.InstanceId, new ExecutionStartedEvent(now, s.Name, s.InstanceId, Guid.NewGuid().ToString("N"), s.Input, new ParentInstance(instanceId, s.Id))));
                    break;
                case SendEventAction s:
                    orchestrators.Add(new TaskMessage(s.InstanceId, new EventRaisedEvent(now, s.Name, s.Input)));
                    break;
            }
        }

        if (executor.Parent is { } parent && episode.Status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated)
        {
            orchestrators.Add(new TaskMessage(parent.InstanceId, episode.Status == OrchestrationRuntimeStatus.Completed
                ? new SubOrchestrationInstanceCompletedEvent(now, parent.TaskScheduledId, episode.Output)
                : new SubOrchestrationInstanceFailedEvent(now, parent.TaskScheduledId, episode.Failure ?? new TaskFailureDetails("Terminated", $"Sub-orchestration '{instanceId}' was terminated: {episode.Output}"))));
        }

        if (episode.ContinuedAsNew)
        {
            orchestrators.Add(new TaskMessage(instanceId, new ExecutionStartedEvent(now, executor.Name, instanceId, Guid.NewGuid().ToString("N"), episode.ContinueAsNewInput, executor.Parent)));
            orchestrators.AddRange(episode.CarryoverEvents.Select(e => new TaskMessage(instanceId, e)));
        }

        return new OrchestrationCheckpoint
        {
            NewEvents = episode.NewEvents,
            ActivityMessages = activities,
            OrchestratorMessages = orchestrators,
            TimerMessages = timers,
            ResetHistory = episode.ContinuedAsNew,
            State = new InstanceState(
                executor.Name,
                episode.ContinuedAsNew ? OrchestrationRuntimeStatus.Running : episode.Status,
                episode.ContinuedAsNew ? episode.ContinueAsNewInput : null,
                episode.Output,
                episode.CustomStatus,
                episode.Failure),
        };
    }
}
