using System.Buffers.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace ChurnFlows.Benchmarks.Serving;

/// <summary>What the prediction log holds: its entries, and the served predictions they stand for (the sum of their weights).</summary>
/// <param name="Entries">JSON lines logged.</param>
/// <param name="StandsFor">The sum of their <c>weight</c>s (an entry without one counts 1).</param>
internal readonly record struct LoggedPredictions(long Entries, long StandsFor);

/// <summary>Counts the predictions logged in <c>churn-predictions</c> (one JSON line each) without deserializing them.</summary>
internal static class PredictionLogCount
{
    private static readonly byte[] WeightProperty = "\"weight\":"u8.ToArray();

    /// <summary>Returns how many prediction lines the log holds and how many predictions they stand for.</summary>
    public static async Task<LoggedPredictions> CountAsync(BlobContainerClient predictions)
    {
        long lines = 0, standsFor = 0;
        await foreach (var item in predictions.GetBlobsAsync(new GetBlobsOptions { Prefix = "predictions/" }))
        {
            BlobDownloadResult content = await predictions.GetBlobClient(item.Name).DownloadContentAsync();
            var (blobLines, blobWeight) = Count(content.Content.ToMemory().Span);
            lines += blobLines;
            standsFor += blobWeight;
        }

        return new LoggedPredictions(lines, standsFor);
    }

    /// <summary>Waits until the count stops growing (the app flushes its buffer every 2 s) and returns it.</summary>
    public static async Task<LoggedPredictions> SettledAsync(BlobContainerClient predictions, long expected)
    {
        var last = new LoggedPredictions(-1, -1);
        for (var attempt = 0; attempt < 15; attempt++)
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            var count = await CountAsync(predictions);
            if (count.StandsFor >= expected || count == last)
            {
                return count;
            }

            last = count;
        }

        return last;
    }

    private static (long Lines, long Weight) Count(ReadOnlySpan<byte> log)
    {
        long lines = 0, weight = 0;
        while (!log.IsEmpty)
        {
            var end = log.IndexOf((byte)'\n');
            var line = end < 0 ? log : log[..end];
            var at = line.LastIndexOf(WeightProperty);
            weight += at >= 0 && Utf8Parser.TryParse(line[(at + WeightProperty.Length)..], out long value, out _) ? value : 1;
            lines++;
            log = end < 0 ? default : log[(end + 1)..];
        }

        return (lines, weight);
    }
}
