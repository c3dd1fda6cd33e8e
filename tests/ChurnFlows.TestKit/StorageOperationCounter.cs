using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ChurnFlows.TestKit;

/// <summary>
/// Counts storage requests at the HTTP pipeline (every try, retries included), in total and by kind
/// (see <see cref="KindOf"/>). Add it with <c>options.AddPolicy(counter, HttpPipelinePosition.PerRetry)</c>.
/// </summary>
public sealed class StorageOperationCounter : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentDictionary<string, long> _byKind = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _ticksByKind = new(StringComparer.Ordinal);
    private long _count;

    /// <summary>Gets the number of requests sent since creation or the last <see cref="Reset"/>.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Gets the requests sent since creation or the last <see cref="Reset"/>, by kind, most frequent first.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> ByKind => [.. _byKind.Where(k => k.Value > 0).OrderByDescending(k => k.Value).ThenBy(k => k.Key, StringComparer.Ordinal)];

    /// <summary>Gets the mean time from sending a request to its response, by kind, since creation or the last <see cref="Reset"/>.</summary>
    public IReadOnlyDictionary<string, TimeSpan> MeanLatencyByKind => _ticksByKind.ToDictionary(
        k => k.Key,
        k => Stopwatch.GetElapsedTime(0, k.Value / Math.Max(1, _byKind.GetValueOrDefault(k.Key))),
        StringComparer.Ordinal);

    /// <summary>Starts counting from zero.</summary>
    public void Reset()
    {
        _byKind.Clear();
        _ticksByKind.Clear();
        Interlocked.Exchange(ref _count, 0);
    }

    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Interlocked.Increment(ref _count);
        var kind = KindOf(message.Request);
        _byKind.AddOrUpdate(kind, 1, (_, n) => n + 1);
        message.SetProperty(typeof(StorageOperationCounter), (kind, Stopwatch.GetTimestamp()));
    }

    /// <inheritdoc />
    public override void OnReceivedResponse(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.TryGetProperty(typeof(StorageOperationCounter), out var sent) && sent is (string kind, long at))
        {
            var elapsed = Stopwatch.GetTimestamp() - at;
            _ticksByKind.AddOrUpdate(kind, elapsed, (_, t) => t + elapsed);
        }
    }

    /// <summary>
    /// Names a request by service, operation and resource, e.g. <c>queue put *-workitems</c>,
    /// <c>table batch</c>, <c>table merge *Instances</c>, <c>blob lease renew</c> (a task hub's
    /// resources keep only their suffix, without a partition number, so per-test hubs and partitions group together).
    /// </summary>
    public static string KindOf(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var method = request.Method.Method;
        var segments = request.Uri.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var query = request.Uri.Query;
        var last = segments.Length > 0 ? Uri.UnescapeDataString(segments[^1]) : string.Empty;
        if (segments.Length >= 2 && (segments[^1] == "messages" || (segments.Length >= 3 && segments[^2] == "messages")))
        {
            var queue = Shorten(segments[^1] == "messages" ? segments[^2] : segments[^3]);
            var op = (method, segments[^1] == "messages") switch
            {
                ("POST", _) => "put",
                ("GET", _) when query.Contains("peekonly", StringComparison.Ordinal) => "peek",
                ("GET", _) => "receive",
                ("DELETE", true) => "clear",
                ("DELETE", false) => "delete",
                ("PUT", _) => "update",
                _ => method.ToLowerInvariant(),
            };
            return $"queue {op} {queue}";
        }

        if (last == "$batch")
        {
            return "table batch";
        }

        var paren = last.IndexOf('(', StringComparison.Ordinal);
        if (paren > 0 && !last.StartsWith("Tables", StringComparison.Ordinal))
        {
            var table = TableSuffix(last[..paren]);
            var op = method switch
            {
                "GET" when last.EndsWith("()", StringComparison.Ordinal) => "query",
                "GET" => "get",
                "PUT" => "upsert",
                "MERGE" or "PATCH" => "merge",
                "DELETE" => "delete",
                _ => method.ToLowerInvariant(),
            };
            return $"table {op} {table}";
        }

        if (query.Contains("comp=lease", StringComparison.Ordinal))
        {
            return request.Headers.TryGetValue("x-ms-lease-action", out var action) ? $"blob lease {action}" : "blob lease";
        }

        if (query.Contains("comp=list", StringComparison.Ordinal))
        {
            return "blob list";
        }

        if (query.Contains("comp=metadata", StringComparison.Ordinal))
        {
            return $"{(segments.Length == 2 ? "queue" : "blob")} metadata";
        }

        return $"other {method.ToLowerInvariant()} {(segments.Length > 1 ? Shorten(segments[1]) : last)}";
    }

    private static string Shorten(string name)
    {
        // A task hub's resources end in a known suffix; hub names may contain hyphens themselves.
        var partition = name.LastIndexOf('-');
        var bare = partition > 0 && name[(partition + 1)..].All(char.IsAsciiDigit) ? name[..partition] : name;
        foreach (var suffix in (ReadOnlySpan<string>)["-control", "-workitems", "-poison", "-leases", "-largemessages"])
        {
            if (bare.EndsWith(suffix, StringComparison.Ordinal))
            {
                return "*" + suffix;
            }
        }

        return name;
    }

    private static string TableSuffix(string name)
    {
        foreach (var suffix in (ReadOnlySpan<string>)["History", "Instances", "Partitions"])
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                return "*" + suffix;
            }
        }

        return name;
    }
}
