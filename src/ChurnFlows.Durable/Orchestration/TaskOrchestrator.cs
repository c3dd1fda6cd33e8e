namespace ChurnFlows.Durable;

/// <summary>The untyped shape the engine runs; implemented by <see cref="TaskOrchestrator{TInput, TOutput}"/>.</summary>
public interface ITaskOrchestrator
{
    /// <summary>Gets the input type.</summary>
    Type InputType { get; }

    /// <summary>Runs the orchestration.</summary>
    Task<object?> RunAsync(TaskOrchestrationContext context, object? input);
}

/// <summary>
/// An orchestrator: deterministic code that calls activities, timers, sub-orchestrations and
/// external events only through the context. It is re-run (replayed) from history, so it must not
/// do I/O, read the clock, create GUIDs or use randomness except through the context, and must not
/// use <c>ConfigureAwait(false)</c>.
/// </summary>
/// <typeparam name="TInput">The input type.</typeparam>
/// <typeparam name="TOutput">The output type.</typeparam>
public abstract class TaskOrchestrator<TInput, TOutput> : ITaskOrchestrator
{
    /// <inheritdoc />
    public Type InputType => typeof(TInput);

    /// <summary>The orchestration's logic.</summary>
    public abstract Task<TOutput> RunAsync(TaskOrchestrationContext context, TInput input);

    async Task<object?> ITaskOrchestrator.RunAsync(TaskOrchestrationContext context, object? input) =>
        await RunAsync(context, (TInput)input!);
}

/// <summary>The untyped shape the engine runs; implemented by <see cref="TaskActivity{TInput, TOutput}"/>.</summary>
public interface ITaskActivity
{
    /// <summary>Gets the input type.</summary>
    Type InputType { get; }

    /// <summary>Runs the activity.</summary>
    Task<object?> RunAsync(TaskActivityContext context, object? input);
}

/// <summary>
/// An activity: the unit of real work (I/O, compute). Activities run at least once, so make them
/// idempotent (check whether the output already exists before writing it).
/// </summary>
/// <typeparam name="TInput">The input type.</typeparam>
/// <typeparam name="TOutput">The output type.</typeparam>
public abstract class TaskActivity<TInput, TOutput> : ITaskActivity
{
    /// <inheritdoc />
    public Type InputType => typeof(TInput);

    /// <summary>The activity's logic.</summary>
    public abstract Task<TOutput> RunAsync(TaskActivityContext context, TInput input);

    async Task<object?> ITaskActivity.RunAsync(TaskActivityContext context, object? input) =>
        await RunAsync(context, (TInput)input!).ConfigureAwait(false);
}

/// <summary>What an activity knows about its invocation.</summary>
/// <param name="Name">The activity name.</param>
/// <param name="InstanceId">The orchestration instance that scheduled it.</param>
/// <param name="TaskId">Its sequence id in that orchestration.</param>
/// <param name="CancellationToken">Signalled when the worker shuts down.</param>
public sealed record TaskActivityContext(string Name, string InstanceId, int TaskId, CancellationToken CancellationToken);
