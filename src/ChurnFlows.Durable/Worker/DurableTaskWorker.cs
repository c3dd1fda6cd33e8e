using System.Diagnostics;
using ChurnFlows.Durable.History;
using ChurnFlows.Durable.Hub;
using ChurnFlows.Durable.Orchestration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChurnFlows.Durable.Worker;

/// <summary>
/// Runs orchestration episodes and activities from a task hub with bounded concurrency. Live
/// orchestrations stay cached between episodes (no replay unless the cache misses). Stopping waits
/// for running work; anything not finished is abandoned back to the hub, so nothing is lost.
/// </summary>
public sealed partial class DurableTaskWorker : IHostedService, IAsyncDisposable
{
    private readonly ITaskHub _hub;
    private readonly DurableTaskRegistry _registry;
    private readonly DurableTaskWorkerOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Dictionary<string, OrchestrationExecutor> _cache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _orchestrationSlots;
    private readonly SemaphoreSlim _activitySlots;
    private readonly List<Task> _inFlight = [];
    private CancellationTokenSource? _stopping;
    private Task[] _loops = [];

    /// <summary>Creates a worker.</summary>
    public DurableTaskWorker(ITaskHub hub, DurableTaskRegistry registry, DurableTaskWorkerOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        _hub = hub ?? throw new ArgumentNullException(nameof(hub));
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _options = options ?? new DurableTaskWorkerOptions();
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<DurableTaskWorker>();
        _orchestrationSlots = new SemaphoreSlim(_options.MaxConcurrentOrchestrations);
        _activitySlots = new SemaphoreSlim(_options.MaxConcurrentActivities);
    }

    /// <summary>Gets how many episodes had to replay history because the instance was not cached.</summary>
    public int CacheMisses => Volatile.Read(ref _cacheMisses);

    private int _cacheMisses;
    private int _disposed;

    /// <summary>Drops every cached orchestration (the next episodes replay from history).</summary>
    public void ClearSessionCache()
    {
        lock (_cache)
        {
            _cache.Clear();
        }
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _hub.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        _stopping = new CancellationTokenSource();
        var stopping = _stopping.Token; // read now: a stop right after the start clears the field before the loops run
        _loops = [Task.Run(() => OrchestrationLoopAsync(stopping), CancellationToken.None), Task.Run(() => ActivityLoopAsync(stopping), CancellationToken.None)];
        _hub.AddActivitySlots(_options.MaxConcurrentActivities);
        _logger.WorkerStarted(_options.MaxConcurrentOrchestrations, _options.MaxConcurrentActivities);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Hosts may stop a service more than once (stop, then dispose); only the first call does the work.
        var stopping = Interlocked.Exchange(ref _stopping, null);
        if (stopping is null)
        {
            return;
        }

        // Episodes still finishing must not hand activities to this worker any more.
        _hub.AddActivitySlots(-_options.MaxConcurrentActivities);
        await stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).ConfigureAwait(false);
        stopping.Dispose();
        await DrainAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        _logger.WorkerStopped();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // DI disposes the worker once per registration that hands it out (singleton and hosted service),
        // and a host may stop it after that; both must be harmless.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync(CancellationToken.None).ConfigureAwait(false);

        // A host's stop may have given up waiting; work still in flight releases its slot when it ends.
        await DrainAsync().ConfigureAwait(false);
        _orchestrationSlots.Dispose();
        _activitySlots.Dispose();
    }

    private Task DrainAsync()
    {
        lock (_inFlight)
        {
            return Task.WhenAll([.. _inFlight]);
        }
    }

    private async Task OrchestrationLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await _orchestrationSlots.WaitAsync(stopping).ConfigureAwait(false);
                var item = await _hub.LockNextOrchestrationWorkItemAsync(_options.PollWait, stopping).ConfigureAwait(false);
                if (item is null)
                {
                    _orchestrationSlots.Release();
                    continue;
                }

                Track(Task.Run(async () =>
                {
                    try
                    {
                        await ProcessOrchestrationAsync(item).ConfigureAwait(false);
                    }
                    finally
                    {
                        _orchestrationSlots.Release();
                    }
                }, CancellationToken.None));
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _orchestrationSlots.Release();
                _logger.PollFailed("orchestration", e);
                await Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task ActivityLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await _activitySlots.WaitAsync(stopping).ConfigureAwait(false);
                var item = await _hub.LockNextActivityWorkItemAsync(_options.PollWait, stopping).ConfigureAwait(false);
                if (item is null)
                {
                    _activitySlots.Release();
                    continue;
                }

                Track(Task.Run(async () =>
                {
                    try
                    {
                        await ProcessActivityAsync(item, stopping).ConfigureAwait(false);
                    }
                    finally
                    {
                        _activitySlots.Release();
                    }
                }, CancellationToken.None));
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _activitySlots.Release();
                _logger.PollFailed("activity", e);
                await Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private void Track(Task task)
    {
        lock (_inFlight)
        {
            _inFlight.RemoveAll(t => t.IsCompleted);
            _inFlight.Add(task);
        }
    }

    private async Task ProcessActivityAsync(ActivityWorkItem item, CancellationToken stopping)
    {
        var scheduled = item.TaskScheduled;
        HistoryEvent result;
        var activity = _registry.CreateActivity(scheduled.Name);
        var now = _options.TimeProvider.GetUtcNow().UtcDateTime;
        if (activity is null)
        {
            result = new TaskFailedEvent(now, scheduled.EventId, new TaskFailureDetails(typeof(InvalidOperationException).FullName!, $"No activity named '{scheduled.Name}' is registered with this worker."));
        }
        else
        {
            using var span = DurableTelemetry.Source.StartActivity($"activity {scheduled.Name}");
            span?.SetTag("durable.instance_id", item.InstanceId);
            span?.SetTag("durable.task_id", scheduled.EventId);
            var started = Stopwatch.GetTimestamp();
            try
            {
                var input = _options.DataConverter.Deserialize(scheduled.Input, activity.InputType);
                var output = await activity.RunAsync(new TaskActivityContext(scheduled.Name, item.InstanceId, scheduled.EventId, stopping), input).ConfigureAwait(false);
                result = new TaskCompletedEvent(_options.TimeProvider.GetUtcNow().UtcDateTime, scheduled.EventId, _options.DataConverter.Serialize(output));
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                await _hub.AbandonActivityWorkItemAsync(item, CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (Exception e)
            {
                result = new TaskFailedEvent(_options.TimeProvider.GetUtcNow().UtcDateTime, scheduled.EventId, TaskFailureDetails.FromException(e));
                span?.SetStatus(ActivityStatusCode.Error, e.Message);
            }

            DurableTelemetry.RecordActivity(scheduled.Name, result is TaskCompletedEvent, Stopwatch.GetElapsedTime(started));
        }

        try
        {
            await _hub.CompleteActivityWorkItemAsync(item, new TaskMessage(item.InstanceId, result), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _logger.ActivityAbandoned(scheduled.Name, item.InstanceId, e);
            await _hub.AbandonActivityWorkItemAsync(item, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
