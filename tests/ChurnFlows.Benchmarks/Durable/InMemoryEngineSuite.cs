using System.Diagnostics;
using System.Globalization;
using ChurnFlows.Durable.Client;
using ChurnFlows.Durable.Hub;
using ChurnFlows.Durable.Orchestration;
using ChurnFlows.Durable.Worker;

namespace ChurnFlows.Benchmarks.Durable;

/// <summary>
/// The durable engine on the in-memory hub: fan-out/fan-in throughput, sequential orchestration
/// throughput and replay time of a long history. Usage: <c>durable-inmemory</c>.
/// </summary>
public sealed class InMemoryEngineSuite : IBenchmarkSuite
{
    /// <inheritdoc />
    public string Name => "durable-inmemory";

    /// <inheritdoc />
    public string Description => "durable engine, in-memory hub: 10k fan-out, 1k x 5 sequential, 10k-event replay";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args)
    {
        var registry = BenchmarkOrchestrations.Create();

        await RunFanOutAsync(registry, 2_000); // warm-up
        var fanOut = Best(await RunFanOutAsync(registry, 10_000), await RunFanOutAsync(registry, 10_000), await RunFanOutAsync(registry, 10_000));
        await RunSequencesAsync(registry, 100);
        var sequences = Best(await RunSequencesAsync(registry, 1_000), await RunSequencesAsync(registry, 1_000), await RunSequencesAsync(registry, 1_000));
        var (events, replayMs) = await MeasureReplayAsync(registry);

        Console.WriteLine($"Durable engine, in-memory hub, {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores (best of 3)");
        Console.WriteLine();
        Console.WriteLine("| scenario | result | goal | published anchor (Durable Functions, Azure Storage) | ratio vs anchor |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Console.WriteLine(Line($"| fan-out/fan-in, 10,000 no-op activities | {fanOut:N0} activities/s | ≥ 20,000 | 100 activities/s | {fanOut / 100:N0}× |"));
        Console.WriteLine(Line($"| 1,000 orchestrations × 5 sequential activities | {sequences:N0} orchestrations/s | ≥ 2,000 | 5 activities/s per instance | — |"));
        Console.WriteLine(Line($"| replay of a {events:N0}-event history | {replayMs:F1} ms | < 50 ms | — | — |"));
        return 0;
    }

    private static async Task<double> RunFanOutAsync(DurableTaskRegistry registry, int n)
    {
        await using var engine = await Engine.StartAsync(registry);
        var sw = Stopwatch.StartNew();
        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync("FanOut", n);
        var result = await engine.Client.WaitForInstanceCompletionAsync(id);
        Check(result.ReadOutputAs<int>() == n, "fan-out result");
        return n / sw.Elapsed.TotalSeconds;
    }

    private static async Task<double> RunSequencesAsync(DurableTaskRegistry registry, int count)
    {
        await using var engine = await Engine.StartAsync(registry);
        var sw = Stopwatch.StartNew();
        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            ids.Add(await engine.Client.ScheduleNewOrchestrationInstanceAsync("Sequence", 5));
        }

        foreach (var id in ids)
        {
            Check((await engine.Client.WaitForInstanceCompletionAsync(id)).ReadOutputAs<int>() == 10, "sequence result");
        }

        return count / sw.Elapsed.TotalSeconds;
    }

    private static async Task<(int Events, double Milliseconds)> MeasureReplayAsync(DurableTaskRegistry registry)
    {
        await using var engine = await Engine.StartAsync(registry);
        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync("Sequence", 3_300);
        await engine.Client.WaitForInstanceCompletionAsync(id);
        var history = await engine.Client.GetOrchestrationHistoryAsync(id);
        var times = new List<double>();
        for (var rep = 0; rep < 5; rep++)
        {
            var sw = Stopwatch.StartNew();
            var executor = new OrchestrationExecutor(id, registry.CreateOrchestrator);
            executor.Replay(history);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        return (history.Count, times.Min());
    }

    private static double Best(params double[] values) => values.Max();

    private static void Check(bool ok, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"Benchmark produced a wrong {what}.");
        }
    }

    private static string Line(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private sealed class Engine : IAsyncDisposable
    {
        private Engine(DurableTaskWorker worker, DurableTaskClient client)
        {
            Worker = worker;
            Client = client;
        }

        public DurableTaskWorker Worker { get; }

        public DurableTaskClient Client { get; }

        public static async Task<Engine> StartAsync(DurableTaskRegistry registry)
        {
            var hub = new InMemoryTaskHub();
            var worker = new DurableTaskWorker(hub, registry);
            await worker.StartAsync(CancellationToken.None);
            return new Engine(worker, new DurableTaskClient(hub));
        }

        public async ValueTask DisposeAsync() => await Worker.DisposeAsync();
    }
}
