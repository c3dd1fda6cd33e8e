namespace ChurnFlows.Durable.Worker;

/// <summary>The orchestrators and activities a worker can run, by name (case-insensitive).</summary>
public sealed class DurableTaskRegistry
{
    private readonly Dictionary<string, Func<ITaskOrchestrator>> _orchestrators = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Func<ITaskActivity>> _activities = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Registers an orchestrator type under its class name (or <paramref name="name"/>).</summary>
    public DurableTaskRegistry AddOrchestrator<T>(string? name = null) where T : ITaskOrchestrator, new() =>
        AddOrchestrator(name ?? typeof(T).Name, () => new T());

    /// <summary>Registers an orchestrator factory.</summary>
    /// <exception cref="ArgumentException">The name is taken.</exception>
    public DurableTaskRegistry AddOrchestrator(string name, Func<ITaskOrchestrator> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (!_orchestrators.TryAdd(name, factory))
        {
            throw new ArgumentException($"An orchestrator named '{name}' is already registered.", nameof(name));
        }

        return this;
    }

    /// <summary>Registers an orchestrator written as a function.</summary>
    public DurableTaskRegistry AddOrchestratorFunc<TInput, TOutput>(string name, Func<TaskOrchestrationContext, TInput, Task<TOutput>> implementation) =>
        AddOrchestrator(name, () => new FuncOrchestrator<TInput, TOutput>(implementation));

    /// <summary>Registers an activity type under its class name (or <paramref name="name"/>).</summary>
    public DurableTaskRegistry AddActivity<T>(string? name = null) where T : ITaskActivity, new() =>
        AddActivity(name ?? typeof(T).Name, () => new T());

    /// <summary>Registers an activity factory (called per invocation; may resolve from DI).</summary>
    /// <exception cref="ArgumentException">The name is taken.</exception>
    public DurableTaskRegistry AddActivity(string name, Func<ITaskActivity> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (!_activities.TryAdd(name, factory))
        {
            throw new ArgumentException($"An activity named '{name}' is already registered.", nameof(name));
        }

        return this;
    }

    /// <summary>Registers an activity written as a function.</summary>
    public DurableTaskRegistry AddActivityFunc<TInput, TOutput>(string name, Func<TaskActivityContext, TInput, Task<TOutput>> implementation) =>
        AddActivity(name, () => new FuncActivity<TInput, TOutput>(implementation));

    /// <summary>Creates the orchestrator registered as <paramref name="name"/>, or null.</summary>
    public ITaskOrchestrator? CreateOrchestrator(string name) => _orchestrators.TryGetValue(name, out var f) ? f() : null;

    /// <summary>Creates the activity registered as <paramref name="name"/>, or null.</summary>
    public ITaskActivity? CreateActivity(string name) => _activities.TryGetValue(name, out var f) ? f() : null;

    private sealed class FuncOrchestrator<TInput, TOutput>(Func<TaskOrchestrationContext, TInput, Task<TOutput>> run) : TaskOrchestrator<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskOrchestrationContext context, TInput input) => run(context, input);
    }

    private sealed class FuncActivity<TInput, TOutput>(Func<TaskActivityContext, TInput, Task<TOutput>> run) : TaskActivity<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) => run(context, input);
    }
}
