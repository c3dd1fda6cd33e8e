using System.Diagnostics;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using ChurnFlows.Durable.AzureStorage;

namespace ChurnFlows.Benchmarks.Durable;

/// <summary>Azurite's own operation rates on this machine, the ceiling the engine works under.</summary>
internal static class AzuriteRawRates
{
    public sealed record Rates(double QueuePutSequential, double QueuePutConcurrent, double QueueGetDeleteConcurrent, double QueueUpdateConcurrent, double TableInsertSequential, double TableInsertConcurrent, double TableBatchRowsPerSecond, double SmallBatchConcurrent)
    {
        /// <summary>The mixed concurrent rate (queue put, get+delete, table insert), the fair ceiling for an engine doing all three.</summary>
        public double MixedConcurrent => 3 / ((1 / QueuePutConcurrent) + (1 / QueueGetDeleteConcurrent) + (1 / TableInsertConcurrent));
    }

    /// <summary>Measures on the account of <paramref name="connectionString"/>, with queue messages encoded like the hub's.</summary>
    public static async Task<Rates> MeasureAsync(string connectionString)
    {
        var queue = new QueueServiceClient(connectionString, AzureStorageTaskHub.DefaultQueueOptions()).GetQueueClient("raw-" + Guid.NewGuid().ToString("N")[..12]);
        var table = new TableServiceClient(connectionString).GetTableClient("raw" + Guid.NewGuid().ToString("N")[..12]);
        await queue.CreateIfNotExistsAsync();
        await table.CreateIfNotExistsAsync();
        try
        {
            var body = "{\"i\":\"0123456789abcdef\",\"e\":[{\"type\":\"TaskCompleted\",\"Timestamp\":\"2026-01-01T00:00:00Z\",\"TaskScheduledId\":1,\"Result\":\"1\"}]}";
            var putSequential = await RateAsync(300, 1, _ => queue.SendMessageAsync(body));
            var putConcurrent = await RateAsync(2000, 32, _ => queue.SendMessageAsync(body));
            var getDelete = await RateAsync(2300 / 32, 8, async _ =>
            {
                foreach (var m in (await queue.ReceiveMessagesAsync(32)).Value)
                {
                    await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
                }
            }) * 33; // one receive + 32 deletes per call
            var held = new List<(string Id, string Receipt)>();
            for (var i = 0; i < 32; i++)
            {
                var sent = (await queue.SendMessageAsync(body, TimeSpan.FromMinutes(5))).Value;
                held.Add((sent.MessageId, sent.PopReceipt));
            }

            var update = await RateAsync(32, 32, async w =>
            {
                var (id, receipt) = held[w];
                for (var k = 0; k < 60; k++)
                {
                    receipt = (await queue.UpdateMessageAsync(id, receipt, body, TimeSpan.FromMinutes(5))).Value.PopReceipt;
                }
            }) * 60; // each of 32 callers updates its own message 60 times
            var insertSequential = await RateAsync(300, 1, i => table.AddEntityAsync(Row("s", i)));
            var insertConcurrent = await RateAsync(2000, 32, i => table.AddEntityAsync(Row("c", i)));
            var batchRows = await RateAsync(20, 4, i => table.SubmitTransactionAsync([.. Enumerable.Range(0, 100).Select(r => new TableTransactionAction(TableTransactionActionType.Add, Row($"b{i}", r)))])) * 100;
            var smallBatch = await RateAsync(1000, 32, i => table.SubmitTransactionAsync([.. Enumerable.Range(0, 5).Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, Row($"e{i}", r)))]));
            return new Rates(putSequential, putConcurrent, getDelete, update, insertSequential, insertConcurrent, batchRows, smallBatch);
        }
        finally
        {
            await queue.DeleteIfExistsAsync();
            await table.DeleteAsync();
        }
    }

    private static TableEntity Row(string partition, int i) => new(partition, i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture)) { ["Event"] = new string('x', 120) };

    /// <summary>Operations per second of <paramref name="count"/> calls with at most <paramref name="concurrency"/> in flight.</summary>
    private static async Task<double> RateAsync(int count, int concurrency, Func<int, Task> operation)
    {
        var sw = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) => await operation(i));
        return count / sw.Elapsed.TotalSeconds;
    }
}
