using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using ChurnFlows.ML.Schema;

namespace ChurnFlows.Benchmarks.Serving;

/// <summary>The outcome of the batch load: rows scored per second and the requests behind it.</summary>
/// <param name="RowsPerSecond">Customers scored per second, all clients together.</param>
/// <param name="Requests">Batches answered with 200.</param>
/// <param name="Failed">Batches answered otherwise.</param>
/// <param name="MeanMilliseconds">Mean time per batch request.</param>
internal sealed record BatchResult(double RowsPerSecond, long Requests, long Failed, double MeanMilliseconds);

/// <summary>
/// Batch scoring through HTTP: a few concurrent clients post the same JSON array of customers (rows of
/// the sample CSV in the standard churn schema, snake_case, label left out), or the same rows as a CSV
/// (<c>text/csv</c>), to <c>/api/predict/batch</c>, with or without reasons.
/// </summary>
internal static class BatchLoad
{
    /// <summary>Writes the first <paramref name="rows"/> customers of <paramref name="csv"/> as a JSON array the batch endpoint accepts.</summary>
    public static byte[] CustomersJson(string csv, int rows)
    {
        var kinds = DatasetSchema.StandardChurn.Columns.ToDictionary(c => c.Name, c => c.Kind, StringComparer.Ordinal);
        using var lines = File.ReadLines(csv).GetEnumerator();
        lines.MoveNext();
        var header = lines.Current.Split(',');
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            for (var row = 0; row < rows && lines.MoveNext(); row++)
            {
                var values = lines.Current.Split(',');
                json.WriteStartObject();
                for (var i = 0; i < header.Length; i++)
                {
                    var kind = kinds.GetValueOrDefault(header[i], ColumnKind.Label);
                    if (kind == ColumnKind.Label)
                    {
                        continue;
                    }

                    if (values[i].Length == 0)
                    {
                        json.WriteNull(header[i]);
                    }
                    else if (kind is ColumnKind.Numeric or ColumnKind.Integer)
                    {
                        json.WriteNumber(header[i], double.Parse(values[i], CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        json.WriteString(header[i], values[i]);
                    }
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return buffer.ToArray();
    }

    /// <summary>The header and first <paramref name="rows"/> customers of <paramref name="csv"/> as a CSV the batch endpoint accepts (the label column is ignored).</summary>
    public static byte[] CustomersCsv(string csv, int rows) =>
        System.Text.Encoding.UTF8.GetBytes(string.Join('\n', File.ReadLines(csv).Take(rows + 1)) + "\n");

    /// <summary>Checks that one batch is answered with 200 and one result per customer; returns the problem otherwise.</summary>
    public static async Task<string?> CheckAsync(Uri url, byte[] body, int rows, string mediaType = "application/json")
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(120) };
        using var response = await http.PostAsync(url, Content(body, mediaType));
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            return $"{(int)response.StatusCode}: {text[..Math.Min(text.Length, 600)]}";
        }

        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetArrayLength() == rows ? null : $"{doc.RootElement.GetArrayLength()} results for {rows} customers";
    }

    /// <summary>Posts <paramref name="body"/> to <paramref name="url"/> from <paramref name="clients"/> clients for <paramref name="duration"/>.</summary>
    public static async Task<BatchResult> RunAsync(Uri url, byte[] body, int rows, int clients, TimeSpan duration, string mediaType = "application/json")
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(120) };
        long ok = 0, failed = 0;
        var clock = Stopwatch.StartNew();
        async Task ClientAsync()
        {
            while (clock.Elapsed < duration)
            {
                using var response = await http.PostAsync(url, Content(body, mediaType));
                await response.Content.CopyToAsync(Stream.Null);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref ok);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(ClientAsync)));
        var seconds = clock.Elapsed.TotalSeconds;
        return new BatchResult(ok * rows / seconds, ok, failed, seconds * 1000 * clients / Math.Max(1, ok + failed));
    }

    private static ByteArrayContent Content(byte[] body, string mediaType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }
}
