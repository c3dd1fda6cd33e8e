namespace ChurnFlows.Durable.Worker;

/// <summary>Worker concurrency and polling.</summary>
public sealed record DurableTaskWorkerOptions
{
    /// <summary>Gets how many orchestration episodes run at once (default: 2 × cores).</summary>
    public int MaxConcurrentOrchestrations { get; init; } = 2 * Environment.ProcessorCount;

    /// <summary>Gets how many activities run at once (default: 8 × cores).</summary>
    public int MaxConcurrentActivities { get; init; } = 8 * Environment.ProcessorCount;

    /// <summary>Gets how long one poll of the hub waits for work.</summary>
    public TimeSpan PollWait { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets how many live orchestrations are kept in memory between episodes.</summary>
    public int SessionCacheSize { get; init; } = 10_000;

    /// <summary>Gets the converter for inputs and outputs.</summary>
    public DataConverter DataConverter { get; init; } = JsonDataConverter.Default;

    /// <summary>Gets the clock used for episode timestamps.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
