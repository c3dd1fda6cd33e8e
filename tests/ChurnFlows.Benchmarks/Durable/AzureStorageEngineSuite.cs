using System.Diagnostics;
using System.Globalization;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using ChurnFlows.Durable.AzureStorage;
using ChurnFlows.Durable.Client;
using ChurnFlows.Durable.Worker;
using ChurnFlows.TestKit;

namespace ChurnFlows.Benchmarks.Durable;

/// <summary>
/// The durable engine on the Azure Storage hub against the test kit's Azurite (fresh in this process), or an
/// in-memory one of its own: fan-out/fan-in, many short
/// sequential orchestrations, storage operations per activity (counted at the HTTP pipeline), and
/// Azurite's raw rates for comparison. Usage: <c>durable-azurestorage [repetitions] [concurrency] [memory]</c>
/// (concurrency: orchestration and activity slots of the worker, default 32; <c>memory</c>: Azurite keeps its
/// data in memory instead of on disk, where each queue message text is written and synced one at a time).
/// </summary>
public sealed class AzureStorageEngineSuite : IBenchmarkSuite
{
    /// <inheritdoc />
    public string Name => "durable-azurestorage";

    /// <inheritdoc />
    public string Description => "durable engine, Azure Storage hub on Azurite: 1k fan-out, 1k x 5 sequential, ops per activity, raw Azurite rates";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args)
    {
        var repetitions = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        Concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 32;
        var inMemory = args.Length > 2 && args[2] == "memory";
        await using var memoryAzurite = inMemory ? await InMemoryAzurite.StartAsync() : null;
        var azurite = memoryAzurite?.ConnectionString ?? await AzuriteFixture.GetConnectionStringAsync();
        var registry = BenchmarkOrchestrations.Create();

        var load = await File.ReadAllTextAsync("/proc/loadavg");
        var raw = await AzuriteRawRates.MeasureAsync(azurite);
        await RunFanOutAsync(azurite, registry, 200); // warm-up
        var fanOuts = new List<Run>();
        for (var i = 0; i < repetitions; i++)
        {
            fanOuts.Add(await RunFanOutAsync(azurite, registry, 1_000));
        }

        await RunSequencesAsync(azurite, registry, 50);
        var sequences = new List<Run>();
        for (var i = 0; i < repetitions; i++)
        {
            sequences.Add(await RunSequencesAsync(azurite, registry, 1_000));
        }

        var fan = fanOuts.MaxBy(r => r.PerSecond)!;
        var seq = sequences.MaxBy(r => r.PerSecond)!;
        Console.WriteLine($"Durable engine, Azure Storage hub on Azurite ({(inMemory ? "in memory" : "on disk")}), {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, load average before the run {load.Trim()} (best of {repetitions}, {Concurrency} orchestration and activity slots)");
        Console.WriteLine();
        Console.WriteLine("| scenario | result | goal | storage ops | ops/s | published anchor |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        Console.WriteLine(Line($"| fan-out/fan-in, 1,000 no-op activities | {fan.PerSecond:N0} activities/s | ≥ 300 | {fan.Operations / 1000.0:F2} per activity | {fan.OperationsPerSecond:N0} | 100 activities/s per instance (Durable Functions, A1) |"));
        Console.WriteLine(Line($"| 1,000 orchestrations × 5 sequential activities | {seq.PerSecond:N0} orchestrations/s | ≥ 60 | {seq.Operations / 5000.0:F2} per activity | {seq.OperationsPerSecond:N0} | 45/s Durable Functions (EP2), 171/s Netherite (EP2) |"));
        Console.WriteLine();
        Console.WriteLine("| Azurite raw operation | ops/s |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine(Line($"| queue put, sequential | {raw.QueuePutSequential:N0} |"));
        Console.WriteLine(Line($"| queue put, 32 concurrent | {raw.QueuePutConcurrent:N0} |"));
        Console.WriteLine(Line($"| queue get (32) + delete, 8 concurrent | {raw.QueueGetDeleteConcurrent:N0} |"));
        Console.WriteLine(Line($"| queue update (new body, stays hidden), 32 concurrent | {raw.QueueUpdateConcurrent:N0} |"));
        Console.WriteLine(Line($"| table insert, sequential | {raw.TableInsertSequential:N0} |"));
        Console.WriteLine(Line($"| table insert, 32 concurrent | {raw.TableInsertConcurrent:N0} |"));
        Console.WriteLine(Line($"| table batch insert (100 rows, 4 concurrent), rows/s | {raw.TableBatchRowsPerSecond:N0} |"));
        Console.WriteLine(Line($"| table batch of 5 upserts, 32 concurrent, batches/s | {raw.SmallBatchConcurrent:N0} |"));
        Console.WriteLine(Line($"| mixed concurrent (harmonic mean of put, get+delete, insert) | {raw.MixedConcurrent:N0} |"));
        Console.WriteLine();
        Console.WriteLine(Line($"Engine share of Azurite's mixed concurrent rate: fan-out {fan.OperationsPerSecond / raw.MixedConcurrent:P0}, sequences {seq.OperationsPerSecond / raw.MixedConcurrent:P0}."));
        PrintBreakdown("fan-out/fan-in, storage operations per activity", fan, 1_000);
        PrintBreakdown("1,000 x 5 sequential, storage operations per orchestration", seq, 1_000);
        Console.WriteLine(Line($"All runs: fan-out {string.Join(", ", fanOuts.Select(r => r.PerSecond.ToString("N0", CultureInfo.InvariantCulture)))} activities/s; sequences {string.Join(", ", sequences.Select(r => r.PerSecond.ToString("N0", CultureInfo.InvariantCulture)))} orchestrations/s."));
        return 0;
    }

    private static async Task<Run> RunFanOutAsync(string azurite, DurableTaskRegistry registry, int n)
    {
        await using var engine = await Engine.StartAsync(azurite, registry);
        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync("FanOut", n);
        var result = await engine.Client.WaitForInstanceCompletionAsync(id);
        Check(result.ReadOutputAs<int>() == n, "fan-out result");
        return await engine.FinishAsync(n);
    }

    private static async Task<Run> RunSequencesAsync(string azurite, DurableTaskRegistry registry, int count)
    {
        await using var engine = await Engine.StartAsync(azurite, registry);
        var ids = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            ids[i] = await engine.Client.ScheduleNewOrchestrationInstanceAsync("Sequence", 5, cancellation: ct));
        foreach (var id in ids)
        {
            Check((await engine.Client.WaitForInstanceCompletionAsync(id)).ReadOutputAs<int>() == 10, "sequence result");
        }

        return await engine.FinishAsync(count);
    }

    private static int Concurrency { get; set; } = 32;

    private static void PrintBreakdown(string title, Run run, int units)
    {
        Console.WriteLine();
        Console.WriteLine(Line($"| {title} | count | mean latency |"));
        Console.WriteLine("|---|---:|---:|");
        foreach (var (kind, count) in run.ByKind)
        {
            Console.WriteLine(Line($"| {kind} | {count / (double)units:F2} | {run.Latency.GetValueOrDefault(kind).TotalMilliseconds:F1} ms |"));
        }

        Console.WriteLine(Line($"| **total** | **{run.Operations / (double)units:F2}** | |"));
    }

    private static void Check(bool ok, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"Benchmark produced a wrong {what}.");
        }
    }

    private static string Line(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private sealed record Run(double PerSecond, long Operations, double OperationsPerSecond, IReadOnlyList<KeyValuePair<string, long>> ByKind, IReadOnlyDictionary<string, TimeSpan> Latency);

    /// <summary>A worker hub whose storage calls are counted, and a client on an uncounted hub (the waiting client's polls are not engine work).</summary>
    private sealed class Engine : IAsyncDisposable
    {
        private readonly AzureStorageTaskHub _workerHub;
        private readonly DurableTaskWorker _worker;
        private readonly StorageOperationCounter _counter;
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        private Engine(AzureStorageTaskHub workerHub, DurableTaskWorker worker, StorageOperationCounter counter, DurableTaskClient client)
        {
            _workerHub = workerHub;
            _worker = worker;
            _counter = counter;
            Client = client;
        }

        public DurableTaskClient Client { get; }

        public static async Task<Engine> StartAsync(string connectionString, DurableTaskRegistry registry)
        {
            var options = new AzureStorageTaskHubOptions { TaskHubName = "bench" + Guid.NewGuid().ToString("N")[..10] };
            var counter = new StorageOperationCounter();
            var workerHub = new AzureStorageTaskHub(
                new BlobServiceClient(connectionString, Counted(new BlobClientOptions(), counter)),
                new QueueServiceClient(connectionString, Counted(AzureStorageTaskHub.DefaultQueueOptions(), counter)),
                new TableServiceClient(connectionString, Counted(new TableClientOptions(), counter)),
                options);
            var worker = new DurableTaskWorker(workerHub, registry, new DurableTaskWorkerOptions { MaxConcurrentOrchestrations = Concurrency, MaxConcurrentActivities = Concurrency });
            await worker.StartAsync(CancellationToken.None);
            var clientHub = new AzureStorageTaskHub(connectionString, options);
            while (workerHub.OwnedPartitions.Count < options.PartitionCount)
            {
                await Task.Delay(50);
            }

            counter.Reset();
            return new Engine(workerHub, worker, counter, new DurableTaskClient(clientHub));
        }

        private static T Counted<T>(T options, StorageOperationCounter counter)
            where T : ClientOptions
        {
            options.AddPolicy(counter, HttpPipelinePosition.PerRetry);
            return options;
        }

        /// <summary>
        /// Stops the clock, then stops the worker and lets the hub finish its deferred work (spent messages
        /// are deleted at the latest then) before reading the count, so no operation the run caused is missed.
        /// </summary>
        public async Task<Run> FinishAsync(int units)
        {
            var seconds = _clock.Elapsed.TotalSeconds;
            var during = _counter.Count;
            await _worker.DisposeAsync();
            await _workerHub.DisposeAsync();
            var operations = _counter.Count;
            Console.Error.WriteLine(Line($"  {units} units in {seconds:F1} s; {operations - during} operations after the last completion (shutdown included)"));
            return new Run(units / seconds, operations, during / seconds, _counter.ByKind, _counter.MeanLatencyByKind);
        }

        public async ValueTask DisposeAsync()
        {
            await _worker.DisposeAsync();
            await _workerHub.DeleteAsync();
        }
    }
}
