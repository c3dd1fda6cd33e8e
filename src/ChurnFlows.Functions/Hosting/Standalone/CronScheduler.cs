namespace ChurnFlows.Functions.Hosting.Standalone;

/// <summary>
/// The standalone timer trigger: each timer function runs at the occurrences of its NCRONTAB schedule
/// (UTC), and once at startup when it asks to. A failed run is logged and not retried; the next
/// occurrence runs as usual (the Functions host's timer semantics).
/// </summary>
public sealed partial class CronScheduler(FunctionTable table, TriggerDispatcher dispatcher, IConfiguration configuration, ILogger<CronScheduler> logger, TimeProvider? timeProvider = null)
{
    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(12);
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Runs until <paramref name="stoppingToken"/> is canceled.</summary>
    public Task RunAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(table.Functions.Where(f => f.Trigger is TimerFunctionTrigger).Select(f => RunFunctionAsync(f, stoppingToken)));

    private async Task RunFunctionAsync(FunctionDefinition function, CancellationToken stoppingToken)
    {
        var trigger = (TimerFunctionTrigger)function.Trigger;
        NcrontabSchedule schedule;
        try
        {
            schedule = NcrontabSchedule.Parse(FunctionTable.ResolveSetting(trigger.Schedule, configuration));
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            LogBadSchedule(logger, e, function.Name, trigger.Schedule);
            return;
        }

        DateTimeOffset? last = null;
        if (trigger.RunOnStartup)
        {
            await FireAsync(function, new TimerInfo(false, null, schedule.GetNextOccurrence(_time.GetUtcNow().UtcDateTime)), stoppingToken).ConfigureAwait(false);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            if (schedule.GetNextOccurrence(_time.GetUtcNow().UtcDateTime) is not { } next)
            {
                LogNoOccurrence(logger, function.Name, schedule.Expression);
                return;
            }

            var due = new DateTimeOffset(next, TimeSpan.Zero);
            while (_time.GetUtcNow() < due)
            {
                var wait = due - _time.GetUtcNow();
                await Task.Delay(wait < LongestWait ? wait : LongestWait, _time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
                if (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }

            var isPastDue = _time.GetUtcNow() - due > TimeSpan.FromSeconds(1);
            await FireAsync(function, new TimerInfo(isPastDue, last, schedule.GetNextOccurrence(next)), stoppingToken).ConfigureAwait(false);
            last = due;
        }
    }

    private async Task FireAsync(FunctionDefinition function, TimerInfo timer, CancellationToken stoppingToken)
    {
        try
        {
            await dispatcher.DispatchAsync(function, new TriggerInvocation(function.Name, Guid.NewGuid().ToString()) { Timer = timer }, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogRunFailed(logger, e, function.Name);
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Timer {Function}: schedule '{Schedule}' has no occurrence within 30 years; it will not run")]
    private static partial void LogNoOccurrence(ILogger logger, string function, string schedule);

    [LoggerMessage(EventId = 32, Level = LogLevel.Error, Message = "Timer {Function} will not run: schedule '{Schedule}' is not usable")]
    private static partial void LogBadSchedule(ILogger logger, Exception exception, string function, string schedule);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "Timer {Function} run failed; the next occurrence runs as scheduled")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string function);
}
