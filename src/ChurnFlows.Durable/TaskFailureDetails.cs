namespace ChurnFlows.Durable;

/// <summary>What went wrong in an activity, sub-orchestration or orchestration.</summary>
/// <param name="ErrorType">The exception type name.</param>
/// <param name="ErrorMessage">The message.</param>
/// <param name="StackTrace">The stack trace, if known.</param>
/// <param name="InnerFailure">The inner failure, if any.</param>
public sealed record TaskFailureDetails(string ErrorType, string ErrorMessage, string? StackTrace = null, TaskFailureDetails? InnerFailure = null)
{
    /// <summary>Describes an exception.</summary>
    public static TaskFailureDetails FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, exception.StackTrace, exception.InnerException is { } inner ? FromException(inner) : null);
    }

    /// <summary>Returns whether the failure was caused by an exception of type <typeparamref name="T"/> (by name).</summary>
    public bool IsCausedBy<T>() where T : Exception => ErrorType == typeof(T).FullName || (InnerFailure?.IsCausedBy<T>() ?? false);

    /// <inheritdoc />
    public override string ToString() => $"{ErrorType}: {ErrorMessage}";
}

/// <summary>Thrown in an orchestrator when an activity or sub-orchestration it awaited failed.</summary>
public sealed class TaskFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TaskFailedException(string taskName, int taskId, TaskFailureDetails failureDetails)
        : base($"Task '{taskName}' (#{taskId}) failed with an unhandled exception: {failureDetails?.ErrorMessage}")
    {
        TaskName = taskName;
        TaskId = taskId;
        FailureDetails = failureDetails ?? throw new ArgumentNullException(nameof(failureDetails));
    }

    /// <summary>Creates an exception with a message.</summary>
    public TaskFailedException() : this("unknown", -1, new TaskFailureDetails("Unknown", "unknown"))
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public TaskFailedException(string message) : this("unknown", -1, new TaskFailureDetails("Unknown", message))
    {
    }

    /// <summary>Creates an exception with a message and inner exception.</summary>
    public TaskFailedException(string message, Exception innerException) : base(message, innerException)
    {
        TaskName = "unknown";
        FailureDetails = TaskFailureDetails.FromException(innerException);
    }

    /// <summary>Gets the failed task's name.</summary>
    public string TaskName { get; } = "unknown";

    /// <summary>Gets the failed task's sequence id.</summary>
    public int TaskId { get; }

    /// <summary>Gets the failure details.</summary>
    public TaskFailureDetails FailureDetails { get; }
}

/// <summary>Thrown (and failing the instance) when replayed code no longer matches its history.</summary>
public sealed class NonDeterministicOrchestrationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NonDeterministicOrchestrationException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public NonDeterministicOrchestrationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public NonDeterministicOrchestrationException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>Thrown when an instance id is already in use by a running or pending instance.</summary>
public sealed class OrchestrationAlreadyExistsException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public OrchestrationAlreadyExistsException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public OrchestrationAlreadyExistsException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public OrchestrationAlreadyExistsException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
