using ChurnFlows.Storage.Blobs;

namespace ChurnFlows.Benchmarks.Serving;

/// <summary>Counts the predictions logged in <c>churn-predictions</c> (one JSON line each) without parsing them.</summary>
internal static class PredictionLogCount
{
    /// <summary>Returns how many prediction lines the log holds.</summary>
    public static async Task<long> CountAsync(BlobContainerClient predictions)
    {
        long lines = 0;
        await foreach (var item in predictions.GetBlobsAsync("predictions/"))
        {
            var content = await predictions.GetBlobClient(item.Name).DownloadContentAsync();
            lines += content.Content.ToMemory().Span.Count((byte)'\n');
        }

        return lines;
    }

    /// <summary>Waits until the count stops growing (the app flushes its buffer every 2 s) and returns it.</summary>
    public static async Task<long> SettledAsync(BlobContainerClient predictions, long expected)
    {
        var last = -1L;
        for (var attempt = 0; attempt < 15; attempt++)
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            var count = await CountAsync(predictions);
            if (count >= expected || count == last)
            {
                return count;
            }

            last = count;
        }

        return last;
    }
}
