namespace ChurnFlows.Lifecycle.Runs;

/// <summary>One step of a lifecycle run, as the dashboard and the API show it.</summary>
/// <param name="RunId">The run (its orchestration instance id).</param>
/// <param name="Kind">The run kind: <c>ingest</c>, <c>retrain</c> or <c>drift</c>.</param>
/// <param name="Sequence">The step's position in the run (0 first).</param>
/// <param name="Step">The step's name, e.g. <c>tune</c>.</param>
/// <param name="Status">The run's status after this step: <c>running</c>, <c>awaiting-approval</c>, <c>completed</c>, <c>rejected</c> or <c>failed</c>.</param>
/// <param name="Detail">What the step did, in words.</param>
/// <param name="At">When the step finished (orchestration time).</param>
/// <param name="ElapsedSeconds">Seconds since the run started.</param>
public sealed record RunStep(string RunId, string Kind, int Sequence, string Step, string Status, string Detail, DateTime At, double ElapsedSeconds);

/// <summary>A run's summary row: the latest step's status and detail.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Kind">The run kind.</param>
/// <param name="Reason">Why it started.</param>
/// <param name="Status">The latest status.</param>
/// <param name="LastStep">The latest step's name.</param>
/// <param name="Detail">The latest step's detail.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record RunSummary(string RunId, string Kind, string Reason, string Status, string LastStep, string Detail, DateTime StartedAt, DateTime UpdatedAt);
