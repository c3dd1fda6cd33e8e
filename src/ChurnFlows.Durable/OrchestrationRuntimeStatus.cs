namespace ChurnFlows.Durable;

/// <summary>The runtime status of an orchestration instance (values as Durable Task's).</summary>
public enum OrchestrationRuntimeStatus
{
    /// <summary>Started and not finished.</summary>
    Running = 0,

    /// <summary>Finished successfully.</summary>
    Completed = 1,

    /// <summary>Restarted itself with ContinueAsNew (transient).</summary>
    ContinuedAsNew = 2,

    /// <summary>Finished with an unhandled failure.</summary>
    Failed = 3,

    /// <summary>Canceled (kept for compatibility).</summary>
    Canceled = 4,

    /// <summary>Stopped by a terminate request.</summary>
    Terminated = 5,

    /// <summary>Scheduled but not yet started.</summary>
    Pending = 6,

    /// <summary>Suspended; events wait until resumed.</summary>
    Suspended = 7,
}
