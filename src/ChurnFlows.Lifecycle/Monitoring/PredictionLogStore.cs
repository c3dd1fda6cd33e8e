using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ChurnFlows.Storage.Blobs;

namespace ChurnFlows.Lifecycle.Monitoring;

/// <summary>
/// Prediction logs and outcomes as JSON lines in append blobs of <c>churn-predictions</c>:
/// <c>predictions/yyyy/MM/dd/HH/{writer}.jsonl</c> (one blob per writer per hour, so writers never
/// contend) and <c>outcomes/yyyy/MM/dd/{writer}.jsonl</c>.
/// </summary>
public sealed class PredictionLogStore(BlobContainerClient container)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, Converters = { new JsonStringEnumConverter() } };
    private readonly HashSet<string> _created = new(StringComparer.Ordinal);

    /// <summary>Appends predictions (one block per hour they span).</summary>
    public async Task AppendPredictionsAsync(string writer, IReadOnlyList<PredictionLogEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var hour in entries.GroupBy(e => HourPath(e.At)))
        {
            var lines = new System.Buffers.ArrayBufferWriter<byte>(256 * hour.Count());
            PredictionLogJson.WriteLines(hour, lines);
            await AppendBytesAsync($"predictions/{hour.Key}/{writer}.jsonl", lines.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Appends outcomes.</summary>
    public async Task AppendOutcomesAsync(string writer, IReadOnlyList<OutcomeEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var day in entries.GroupBy(e => e.At.UtcDateTime.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture)))
        {
            await AppendAsync($"outcomes/{day.Key}/{writer}.jsonl", day, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the predictions logged from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public async Task<IReadOnlyList<PredictionLogEntry>> ReadPredictionsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var list = new List<PredictionLogEntry>();
        for (var hour = Truncate(from, TimeSpan.FromHours(1)); hour <= to; hour = hour.AddHours(1))
        {
            await ReadAsync<PredictionLogEntry>($"predictions/{HourPath(hour)}/", list, cancellationToken).ConfigureAwait(false);
        }

        return [.. list.Where(e => e.At >= from && e.At <= to)];
    }

    /// <summary>Reads the outcomes recorded from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public async Task<IReadOnlyList<OutcomeEntry>> ReadOutcomesAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var list = new List<OutcomeEntry>();
        for (var day = Truncate(from, TimeSpan.FromDays(1)); day <= to; day = day.AddDays(1))
        {
            await ReadAsync<OutcomeEntry>($"outcomes/{day.UtcDateTime:yyyy/MM/dd}/", list, cancellationToken).ConfigureAwait(false);
        }

        return [.. list.Where(e => e.At >= from && e.At <= to)];
    }

    private Task AppendAsync<T>(string name, IEnumerable<T> entries, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (var e in entries)
        {
            text.Append(JsonSerializer.Serialize(e, Json)).Append('\n');
        }

        return AppendBytesAsync(name, Encoding.UTF8.GetBytes(text.ToString()), cancellationToken);
    }

    private async Task AppendBytesAsync(string name, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(name);
        bool known;
        lock (_created)
        {
            known = _created.Contains(name);
        }

        if (!known)
        {
            await blob.CreateAppendBlobIfNotExistsAsync("application/x-ndjson", cancellationToken).ConfigureAwait(false);
            lock (_created)
            {
                _created.Add(name);
            }
        }

        // An append block holds at most 4 MiB; split large batches on line boundaries.
        for (var start = 0; start < bytes.Length;)
        {
            var length = Math.Min(bytes.Length - start, 4 * 1024 * 1024);
            if (start + length < bytes.Length)
            {
                length = bytes.Span.Slice(start, length).LastIndexOf((byte)'\n') + 1;
            }

            await blob.AppendBlockAsync(BinaryData.FromBytes(bytes.Slice(start, length)), cancellationToken).ConfigureAwait(false);
            start += length;
        }
    }

    private async Task ReadAsync<T>(string prefix, List<T> into, CancellationToken cancellationToken)
    {
        await foreach (var item in container.GetBlobsAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            var content = await container.GetBlobClient(item.Name).DownloadContentAsync(null, cancellationToken).ConfigureAwait(false);
            using var reader = new StringReader(content.Content.ToString());
            while (reader.ReadLine() is { } line)
            {
                if (line.Length > 0 && JsonSerializer.Deserialize<T>(line, Json) is { } entry)
                {
                    into.Add(entry);
                }
            }
        }
    }

    private static string HourPath(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy/MM/dd/HH", CultureInfo.InvariantCulture);

    private static DateTimeOffset Truncate(DateTimeOffset at, TimeSpan unit) => new(at.UtcTicks - (at.UtcTicks % unit.Ticks), TimeSpan.Zero);
}
