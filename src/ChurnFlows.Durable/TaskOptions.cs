namespace ChurnFlows.Durable;

/// <summary>
/// How to retry a failed activity or sub-orchestration. Retries wait on durable timers, so they
/// survive restarts. Delay before attempt n+1 = FirstRetryInterval × BackoffCoefficient^(n-1), at most MaxRetryInterval.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>Creates a policy.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range (attempts ≥ 1, interval &gt; 0, coefficient ≥ 1, maximum ≥ first).</exception>
    public RetryPolicy(int maxNumberOfAttempts, TimeSpan firstRetryInterval, double backoffCoefficient = 1.0, TimeSpan? maxRetryInterval = null, TimeSpan? retryTimeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNumberOfAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(firstRetryInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(backoffCoefficient, 1.0);
        MaxNumberOfAttempts = maxNumberOfAttempts;
        FirstRetryInterval = firstRetryInterval;
        BackoffCoefficient = backoffCoefficient;
        MaxRetryInterval = maxRetryInterval ?? TimeSpan.FromHours(1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryInterval, firstRetryInterval, nameof(maxRetryInterval));
        RetryTimeout = retryTimeout ?? Timeout.InfiniteTimeSpan;
    }

    /// <summary>Gets the total number of attempts, the first included.</summary>
    public int MaxNumberOfAttempts { get; }

    /// <summary>Gets the delay before the first retry.</summary>
    public TimeSpan FirstRetryInterval { get; }

    /// <summary>Gets the factor the delay grows by per retry.</summary>
    public double BackoffCoefficient { get; }

    /// <summary>Gets the longest delay.</summary>
    public TimeSpan MaxRetryInterval { get; }

    /// <summary>Gets how long after the first attempt retries may still start (infinite by default).</summary>
    public TimeSpan RetryTimeout { get; }

    /// <summary>Gets a filter: return false to stop retrying for this failure.</summary>
    public Func<TaskFailureDetails, bool>? HandleFailure { get; init; }

    /// <summary>Returns the delay before attempt <paramref name="attempt"/> + 1 (1-based), or null when no retry is due.</summary>
    public TimeSpan? NextDelay(int attempt, TaskFailureDetails failure, TimeSpan elapsed)
    {
        if (attempt >= MaxNumberOfAttempts || (HandleFailure is not null && !HandleFailure(failure)))
        {
            return null;
        }

        if (RetryTimeout != Timeout.InfiniteTimeSpan && elapsed >= RetryTimeout)
        {
            return null;
        }

        var delay = FirstRetryInterval.TotalMilliseconds * Math.Pow(BackoffCoefficient, attempt - 1);
        return TimeSpan.FromMilliseconds(Math.Min(delay, MaxRetryInterval.TotalMilliseconds));
    }
}

/// <summary>Options for calling an activity or sub-orchestration.</summary>
/// <param name="Retry">The retry policy, or null for no retries.</param>
public record TaskOptions(RetryPolicy? Retry = null)
{
    /// <summary>Creates options from a retry policy.</summary>
    public static TaskOptions FromRetryPolicy(RetryPolicy policy) => new(policy);

    /// <summary>Returns sub-orchestration options with the given instance id.</summary>
    public SubOrchestrationOptions WithInstanceId(string instanceId) => new(Retry, instanceId);
}

/// <summary>Options for calling a sub-orchestration.</summary>
/// <param name="Retry">The retry policy.</param>
/// <param name="InstanceId">The child's instance id (default: derived deterministically from the parent).</param>
public sealed record SubOrchestrationOptions(RetryPolicy? Retry = null, string? InstanceId = null) : TaskOptions(Retry);

/// <summary>What to do when scheduling an instance id that is already in use.</summary>
public enum DedupeMode
{
    /// <summary>Refuse when the existing instance is running or pending (the default): a singleton.</summary>
    Refuse,

    /// <summary>Return the existing running instance's id instead of starting another.</summary>
    ReuseExisting,

    /// <summary>Terminate the existing instance and start afresh.</summary>
    TerminateAndRestart,
}

/// <summary>Options for starting an orchestration.</summary>
/// <param name="InstanceId">The instance id (default: a new GUID).</param>
/// <param name="StartAt">A delayed start time.</param>
public sealed record StartOrchestrationOptions(string? InstanceId = null, DateTimeOffset? StartAt = null)
{
    /// <summary>Gets what to do when <see cref="InstanceId"/> is already running.</summary>
    public DedupeMode Dedupe { get; init; } = DedupeMode.Refuse;
}
