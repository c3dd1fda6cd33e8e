namespace ChurnFlows.Durable.Client;

/// <summary>An instance's state as the client sees it.</summary>
public sealed record OrchestrationMetadata(string Name, string InstanceId)
{
    /// <summary>Gets the runtime status.</summary>
    public OrchestrationRuntimeStatus RuntimeStatus { get; init; }

    /// <summary>Gets when the instance was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the state last changed.</summary>
    public DateTimeOffset LastUpdatedAt { get; init; }

    /// <summary>Gets the serialized input.</summary>
    public string? SerializedInput { get; init; }

    /// <summary>Gets the serialized output (or termination reason).</summary>
    public string? SerializedOutput { get; init; }

    /// <summary>Gets the serialized custom status.</summary>
    public string? SerializedCustomStatus { get; init; }

    /// <summary>Gets the failure, when failed.</summary>
    public TaskFailureDetails? FailureDetails { get; init; }

    /// <summary>Gets whether the instance is running, pending or suspended.</summary>
    public bool IsRunning => RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended;

    /// <summary>Gets whether the instance finished (completed, failed or terminated).</summary>
    public bool IsCompleted => RuntimeStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;

    /// <summary>Reads the output as <typeparamref name="T"/>.</summary>
    public T? ReadOutputAs<T>() => JsonDataConverter.Default.Deserialize<T>(SerializedOutput);

    /// <summary>Reads the input as <typeparamref name="T"/>.</summary>
    public T? ReadInputAs<T>() => JsonDataConverter.Default.Deserialize<T>(SerializedInput);

    /// <summary>Reads the custom status as <typeparamref name="T"/>.</summary>
    public T? ReadCustomStatusAs<T>() => JsonDataConverter.Default.Deserialize<T>(SerializedCustomStatus);
}

/// <summary>Filters for listing and purging instances; null fields match everything.</summary>
public sealed record OrchestrationQuery
{
    /// <summary>Gets the statuses to include.</summary>
    public IReadOnlyCollection<OrchestrationRuntimeStatus>? Statuses { get; init; }

    /// <summary>Gets the earliest creation time.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Gets the latest creation time.</summary>
    public DateTimeOffset? CreatedTo { get; init; }

    /// <summary>Gets an instance-id prefix.</summary>
    public string? InstanceIdPrefix { get; init; }

    /// <summary>Gets the page size (most results returned).</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>Returns whether <paramref name="m"/> matches.</summary>
    public bool Matches(OrchestrationMetadata m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return (Statuses is null || Statuses.Contains(m.RuntimeStatus))
            && (CreatedFrom is null || m.CreatedAt >= CreatedFrom)
            && (CreatedTo is null || m.CreatedAt <= CreatedTo)
            && (InstanceIdPrefix is null || m.InstanceId.StartsWith(InstanceIdPrefix, StringComparison.Ordinal));
    }
}
