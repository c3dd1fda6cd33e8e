using System.Globalization;
using System.Text.Json;

namespace ChurnFlows.Benchmarks.Serving;

/// <summary>The summary line <c>wrk_post.lua</c> prints (<c>JSON {...}</c>): throughput, latency percentiles and errors.</summary>
/// <param name="Requests">Requests completed.</param>
/// <param name="RequestsPerSecond">Requests per second.</param>
/// <param name="P50Milliseconds">Median latency.</param>
/// <param name="P99Milliseconds">99th percentile latency.</param>
/// <param name="MaxMilliseconds">Slowest request.</param>
/// <param name="Errors">Connect, read, write, non-2xx and timeout errors together.</param>
internal sealed record WrkResult(long Requests, double RequestsPerSecond, double P50Milliseconds, double P99Milliseconds, double MaxMilliseconds, long Errors)
{
    /// <summary>Finds the last summary line in wrk's output (a label such as <c>[best]</c> may follow <c>JSON</c>).</summary>
    public static WrkResult? Parse(string output)
    {
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("JSON ", StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(line[line.IndexOf('{', StringComparison.Ordinal)..]);
        var r = doc.RootElement;
        var errors = r.GetProperty("err_connect").GetInt64() + r.GetProperty("err_read").GetInt64() + r.GetProperty("err_write").GetInt64()
            + r.GetProperty("err_status").GetInt64() + r.GetProperty("err_timeout").GetInt64();
        return new WrkResult(r.GetProperty("requests").GetInt64(), r.GetProperty("rps").GetDouble(), r.GetProperty("p50_ms").GetDouble(), r.GetProperty("p99_ms").GetDouble(), r.GetProperty("max_ms").GetDouble(), errors);
    }

    /// <summary>Returns the run with more requests per second.</summary>
    public static WrkResult Best(WrkResult? a, WrkResult b) => a is null || b.RequestsPerSecond > a.RequestsPerSecond ? b : a;

    /// <summary>Formats the figures as markdown table cells.</summary>
    public string Cells() => string.Create(CultureInfo.InvariantCulture, $"{RequestsPerSecond:N0} | {P50Milliseconds:F2} | {P99Milliseconds:F2} | {MaxMilliseconds:F1} | {Errors}");
}
