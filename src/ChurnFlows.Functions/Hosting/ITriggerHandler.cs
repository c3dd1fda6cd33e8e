namespace ChurnFlows.Functions.Hosting;

/// <summary>
/// Runs one timer, blob or queue invocation. The same handler serves the Functions host (the
/// invocation arrives as the host's payload) and standalone mode (the app's own scheduler and pollers).
/// Invocations can repeat (a crash between the work and its receipt), so handlers must be idempotent.
/// </summary>
public interface ITriggerHandler
{
    /// <summary>Handles the invocation; throwing fails it (queue and blob invocations are retried).</summary>
    Task HandleAsync(TriggerInvocation invocation, CancellationToken cancellationToken);
}

/// <summary>Turns a delegate into a trigger handler factory, for handlers too small to deserve a class.</summary>
public static class TriggerHandler
{
    /// <summary>
    /// Wraps <paramref name="handle"/>, which receives the invocation, the invocation's scoped services and
    /// the cancellation token, e.g. <c>TriggerHandler.From((invocation, services, ct) => services.GetRequiredService&lt;DurableTaskClient&gt;().ScheduleNewOrchestrationInstanceAsync("DriftMonitor", cancellation: ct))</c>.
    /// </summary>
    public static Func<IServiceProvider, ITriggerHandler> From(Func<TriggerInvocation, IServiceProvider, CancellationToken, Task> handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return services => new DelegateHandler(handle, services);
    }

    private sealed class DelegateHandler(Func<TriggerInvocation, IServiceProvider, CancellationToken, Task> handle, IServiceProvider services) : ITriggerHandler
    {
        public Task HandleAsync(TriggerInvocation invocation, CancellationToken cancellationToken) => handle(invocation, services, cancellationToken);
    }
}
