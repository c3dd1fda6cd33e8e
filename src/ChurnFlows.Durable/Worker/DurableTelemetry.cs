using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ChurnFlows.Durable.Worker;

/// <summary>
/// The engine's traces and metrics, under the name <see cref="Name"/> (subscribe with OpenTelemetry's
/// <c>AddSource</c> and <c>AddMeter</c>): a span per activity run and per orchestration episode, and
/// counters and durations of both.
/// </summary>
public static class DurableTelemetry
{
    /// <summary>The activity source and meter name.</summary>
    public const string Name = "ChurnFlows.Durable";

    internal static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);
    private static readonly Histogram<double> ActivityDuration = Meter.CreateHistogram<double>("churnflows.durable.activity.duration", "s", "How long activity runs take, by activity name and outcome.");
    private static readonly Histogram<double> EpisodeDuration = Meter.CreateHistogram<double>("churnflows.durable.episode.duration", "s", "How long orchestration episodes take, from lock to checkpoint.");

    internal static void RecordActivity(string name, bool succeeded, TimeSpan elapsed) =>
        ActivityDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("activity", name), new KeyValuePair<string, object?>("outcome", succeeded ? "completed" : "failed"));

    internal static void RecordEpisode(TimeSpan elapsed) => EpisodeDuration.Record(elapsed.TotalSeconds);
}
