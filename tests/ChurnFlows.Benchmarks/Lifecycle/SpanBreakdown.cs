using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ChurnFlows.Durable.Worker;

namespace ChurnFlows.Benchmarks.Lifecycle;

/// <summary>
/// Sums the durable engine's spans (one per activity run, one per orchestration episode) by name while it
/// is alive, so a benchmark can say how much of its wall time was work and how much was the engine around it.
/// </summary>
internal sealed class SpanBreakdown : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentDictionary<string, (int Count, double Seconds)> _totals = new(StringComparer.Ordinal);

    public SpanBreakdown()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DurableTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = span => _totals.AddOrUpdate(
                span.DisplayName, (1, span.Duration.TotalSeconds), (_, t) => (t.Count + 1, t.Seconds + span.Duration.TotalSeconds)),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Gets markdown rows: span name, count, total and mean seconds, longest total first.</summary>
    public IEnumerable<string> Rows() => _totals
        .OrderByDescending(t => t.Value.Seconds)
        .Select(t => string.Create(CultureInfo.InvariantCulture, $"| {t.Key} | {t.Value.Count} | {t.Value.Seconds:F2} | {1000 * t.Value.Seconds / t.Value.Count:F1} |"));

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();
}
