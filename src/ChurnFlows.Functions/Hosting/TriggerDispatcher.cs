using System.Diagnostics;

namespace ChurnFlows.Functions.Hosting;

/// <summary>Runs a function's trigger handler in its own DI scope and logs the outcome; shared by both modes.</summary>
public sealed partial class TriggerDispatcher(IServiceScopeFactory scopes, ILogger<TriggerDispatcher> logger)
{
    /// <summary>Runs <paramref name="invocation"/> with <paramref name="function"/>'s handler; exceptions propagate after being logged.</summary>
    public async Task DispatchAsync(FunctionDefinition function, TriggerInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(invocation);
        var factory = function.TriggerHandler ?? throw new InvalidOperationException($"Function '{function.Name}' has no trigger handler.");
        var started = Stopwatch.GetTimestamp();
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            await factory(scope.ServiceProvider).HandleAsync(invocation, cancellationToken).ConfigureAwait(false);
            LogSucceeded(logger, function.Name, invocation.InvocationId, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, e, function.Name, invocation.InvocationId);
            throw;
        }
        finally
        {
            foreach (var line in invocation.Logs)
            {
                LogLine(logger, function.Name, line);
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Function {Function} invocation {InvocationId} succeeded in {Milliseconds:F0} ms")]
    private static partial void LogSucceeded(ILogger logger, string function, string invocationId, double milliseconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Function {Function} invocation {InvocationId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string function, string invocationId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "{Function}: {Line}")]
    private static partial void LogLine(ILogger logger, string function, string line);
}
