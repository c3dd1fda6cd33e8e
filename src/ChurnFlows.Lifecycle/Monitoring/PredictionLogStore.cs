using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace ChurnFlows.Lifecycle.Monitoring;

/// <summary>
/// Prediction logs and outcomes as JSON lines in append blobs of <c>churn-predictions</c>:
/// <c>predictions/yyyy/MM/dd/HH/{writer}.jsonl</c> (one blob per writer per hour, so writers never
/// contend) and <c>outcomes/yyyy/MM/dd/{writer}.jsonl</c>. Logs are read back in pieces of at most
/// <paramref name="pieceBytes"/> (4 MiB unless given), so a busy hour never has to fit in memory.
/// </summary>
/// <param name="container">The <c>churn-predictions</c> container.</param>
/// <param name="pieceBytes">The most bytes one ranged read of a log blob asks for.</param>
public sealed class PredictionLogStore(BlobContainerClient container, int pieceBytes = PredictionLogStore.DefaultPieceBytes)
{
    /// <summary>The default size of one ranged read of a log blob: 4 MiB.</summary>
    public const int DefaultPieceBytes = 4 * 1024 * 1024;

    // Lines missing a field an entry needs (or holding null there) are errors, not entries with holes.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };
    private readonly int _pieceBytes = pieceBytes >= 1 ? pieceBytes : throw new ArgumentOutOfRangeException(nameof(pieceBytes), pieceBytes, "A ranged read asks for at least one byte.");
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

    /// <summary>
    /// Streams the predictions logged from <paramref name="from"/> to <paramref name="to"/>, blob by blob in the
    /// order of their hours, holding one piece of one blob at a time. Each blob is read up to the length it had
    /// when it was listed (later appends belong to the next read).
    /// </summary>
    /// <exception cref="InvalidDataException">A line is not a prediction log entry (the message names the blob and where).</exception>
    public async IAsyncEnumerable<PredictionLogEntry> StreamPredictionsAsync(DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var hour = Truncate(from, TimeSpan.FromHours(1)); hour <= to; hour = hour.AddHours(1))
        {
            await foreach (var entry in ReadAsync<PredictionLogEntry>($"predictions/{HourPath(hour)}/", cancellationToken).ConfigureAwait(false))
            {
                if (entry.At >= from && entry.At <= to)
                {
                    yield return entry;
                }
            }
        }
    }

    /// <summary>Reads the outcomes recorded from <paramref name="from"/> to <paramref name="to"/>.</summary>
    /// <exception cref="InvalidDataException">A line is not an outcome (the message names the blob and where).</exception>
    public async Task<IReadOnlyList<OutcomeEntry>> ReadOutcomesAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var list = new List<OutcomeEntry>();
        for (var day = Truncate(from, TimeSpan.FromDays(1)); day <= to; day = day.AddDays(1))
        {
            await foreach (var entry in ReadAsync<OutcomeEntry>($"outcomes/{day.UtcDateTime:yyyy/MM/dd}/", cancellationToken).ConfigureAwait(false))
            {
                if (entry.At >= from && entry.At <= to)
                {
                    list.Add(entry);
                }
            }
        }

        return list;
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
        var blob = container.GetAppendBlobClient(name);
        bool known;
        lock (_created)
        {
            known = _created.Contains(name);
        }

        if (!known)
        {
            await blob.CreateIfNotExistsAsync(new AppendBlobCreateOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/x-ndjson" } }, cancellationToken).ConfigureAwait(false);
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

            using var block = BinaryData.FromBytes(bytes.Slice(start, length)).ToStream();
            await blob.AppendBlockAsync(block, cancellationToken: cancellationToken).ConfigureAwait(false);
            start += length;
        }
    }

    private async IAsyncEnumerable<T> ReadAsync<T>(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken).ConfigureAwait(false))
        {
            var blob = container.GetBlobClient(item.Name);
            var length = item.Properties.ContentLength ?? 0;
            var lines = new JsonLines(item.Name);

            // The next piece downloads while this one is parsed.
            var next = length > 0 ? ReadPieceAsync(blob, 0, length, cancellationToken) : null;
            while (next is not null)
            {
                var piece = await next.ConfigureAwait(false);
                var end = piece.Offset + piece.Content.Length;
                next = !piece.Content.IsEmpty && end < length ? ReadPieceAsync(blob, end, length, cancellationToken) : null; // empty: the blob shrank since it was listed
                foreach (var entry in lines.Read<T>(piece.Content.ToMemory(), Json))
                {
                    yield return entry;
                }
            }

            foreach (var entry in lines.ReadRest<T>(Json))
            {
                yield return entry;
            }
        }
    }

    private async Task<LogPiece> ReadPieceAsync(BlobClient blob, long offset, long length, CancellationToken cancellationToken)
    {
        // One ranged GET within the length the blob had when it was listed.
        var range = new HttpRange(offset, Math.Min(_pieceBytes, length - offset));
        BlobDownloadResult piece = await blob.DownloadContentAsync(new BlobDownloadOptions { Range = range }, cancellationToken).ConfigureAwait(false);
        return new LogPiece(offset, piece.Content);
    }

    private static string HourPath(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy/MM/dd/HH", CultureInfo.InvariantCulture);

    private static DateTimeOffset Truncate(DateTimeOffset at, TimeSpan unit) => new(at.UtcTicks - (at.UtcTicks % unit.Ticks), TimeSpan.Zero);
}

/// <summary>Bytes of a log blob read from <paramref name="Offset"/>.</summary>
internal readonly record struct LogPiece(long Offset, BinaryData Content);
