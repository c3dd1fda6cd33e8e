using System.Diagnostics;
using System.Globalization;
using Azure.Storage.Blobs.Models;
using ChurnFlows.Durable.AzureStorage;
using ChurnFlows.Durable.Client;
using ChurnFlows.Functions.Hosting.Azurite;
using ChurnFlows.Lifecycle;
using ChurnFlows.Lifecycle.Monitoring;
using ChurnFlows.Lifecycle.Registry;
using ChurnFlows.Lifecycle.Training;
using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Drift;
using ChurnFlows.ML.Synthetic;
using ChurnFlows.TestKit;

namespace ChurnFlows.Benchmarks.Lifecycle;

/// <summary>
/// The drift check over a busy window on Azurite: <c>--entries</c> logged predictions (default 1,000,000) over
/// 20 hours from two writers, checked by the monitor, which streams the window, and by the whole window read
/// into memory and handed to the detector as one matrix (how the check worked before streaming), in the same
/// run: wall time, peak managed heap, and that both find the same PSI. No peer: the Python stack here has no
/// drift monitor over blob logs. Usage: <c>drift-check [--entries N]</c>.
/// </summary>
public sealed class DriftCheckSuite : IBenchmarkSuite
{
    /// <inheritdoc />
    public string Name => "drift-check";

    /// <inheritdoc />
    public string Description => "drift check over N logged predictions on Azurite: streamed vs the whole window in memory (time, peak heap)";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args)
    {
        var index = Array.IndexOf(args, "--entries");
        var entries = index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : 1_000_000;
        await using var azurite = await AzuriteProcess.StartAsync(new AzuriteOptions());
        var account = AzuriteFixture.Connect(azurite.ConnectionString);
        var lifecycle = new LifecycleServices(account.Blobs, account.Tables, new DurableTaskClient(new AzureStorageTaskHub(account.Blobs, account.Queues, account.Tables, new AzureStorageTaskHubOptions { TaskHubName = "benchdrift" })));
        await lifecycle.CreateIfNotExistsAsync();
        var now = DateTimeOffset.UtcNow;
        var model = await PromoteSmallModelAsync(lifecycle, now.AddDays(-1));
        var write = Stopwatch.StartNew();
        var bytes = await LogAsync(lifecycle, model, entries, now.AddHours(-20), now);
        Console.Error.WriteLine(Text($"logged {entries:N0} predictions ({bytes / 1e6:N0} MB of JSON lines) in {write.Elapsed.TotalSeconds:F1} s"));

        var settings = new DriftMonitorSettings();
        var (check, streamed) = await MeasureAsync(() => lifecycle.Drift.CheckAsync(settings, now));
        var (report, inMemory) = await MeasureAsync(() => WholeWindowAsync(lifecycle, model, settings, now));
        var psiGap = check.Features.Join(report.Features, f => f.Feature, f => f.Feature, (a, b) => Math.Abs(a.Psi - b.Psi)).DefaultIfEmpty(double.NaN).Max();

        Console.WriteLine(Text($"Drift check over {entries:N0} logged predictions ({bytes / 1e6:N0} MB) on Azurite, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}"));
        Console.WriteLine();
        Console.WriteLine("| check | wall s | entries/s | peak managed heap MB | served (weighted) | drifted features |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        Console.WriteLine(Text($"| streamed (DriftMonitor) | {streamed.Seconds:F1} | {entries / streamed.Seconds:N0} | {streamed.PeakBytes / 1e6:N0} | {check.Predictions:N0} | {check.DriftedFeatures.Count} |"));
        Console.WriteLine(Text($"| whole window in memory | {inMemory.Seconds:F1} | {entries / inMemory.Seconds:N0} | {inMemory.PeakBytes / 1e6:N0} | {report.CurrentCount:N0} | {report.DriftedFeatures.Count()} |"));
        Console.WriteLine();
        Console.WriteLine(Text($"Streamed ÷ in memory: time {streamed.Seconds / inMemory.Seconds:F2}×, peak heap {streamed.PeakBytes / (double)inMemory.PeakBytes:F3}×; largest PSI difference {psiGap:E1}."));
        return check.Predictions == report.CurrentCount && psiGap < 1e-9 ? 0 : 1;
    }

    private static async Task<ModelArtifact> PromoteSmallModelAsync(LifecycleServices lifecycle, DateTimeOffset createdAt)
    {
        var model = new TrainingService(new TrainingOptions { Trials = 1, MaximumIterations = 30 })
            .Train(SyntheticChurnGenerator.Generate(new() { Rows = 5_000, Seed = 3 }), "v-bench", new ModelLineage { DatasetSha256 = "bench" }).Artifact with { CreatedAt = createdAt };
        await lifecycle.Models.SaveAsync(model);
        await lifecycle.Registry.RegisterAsync(new ModelRecord { Version = model.Version, CreatedAt = createdAt });
        await lifecycle.Registry.PromoteAsync(model.Version, "benchmark");
        return model;
    }

    /// <summary>Logs <paramref name="count"/> predictions of drifted synthetic customers evenly over the window, in 50,000-entry appends; returns the bytes written.</summary>
    private static async Task<long> LogAsync(LifecycleServices lifecycle, ModelArtifact model, int count, DateTimeOffset from, DateTimeOffset to)
    {
        var matrix = model.Pipeline.Transform(SyntheticChurnGenerator.Generate(new() { Rows = 20_000, Seed = 8, Drift = 1.0 }));
        var random = new Random(8);
        var step = (to - from) / count;
        for (var start = 0; start < count; start += 50_000)
        {
            var batch = Enumerable.Range(start, Math.Min(50_000, count - start)).Select(i =>
            {
                var features = new double[matrix.ColumnCount];
                matrix.CopyRow(i % matrix.RowCount, features);
                return new PredictionLogEntry(from + (step * i), model.Version, $"C{i % 200_000}", random.NextDouble(), features, Weight: 1 + (i % 3));
            }).ToList();
            await lifecycle.Predictions.AppendPredictionsAsync(start % 100_000 == 0 ? "writer-a" : "writer-b", batch);
        }

        long bytes = 0;
        await foreach (var blob in lifecycle.Containers.Predictions.GetBlobsAsync(new GetBlobsOptions { Prefix = "predictions/" }))
        {
            bytes += blob.Properties.ContentLength ?? 0;
        }

        return bytes;
    }

    /// <summary>The check's drift comparison as it was before streaming: every entry of the window in a list, laid out as one matrix.</summary>
    private static async Task<DriftReport> WholeWindowAsync(LifecycleServices lifecycle, ModelArtifact model, DriftMonitorSettings settings, DateTimeOffset now)
    {
        var logged = await lifecycle.Predictions.StreamPredictionsAsync(now.AddHours(-settings.WindowHours), now)
            .Where(e => e.ModelVersion == model.Version).Select(e => (e.Features, e.Probability, e.Weight)).ToListAsync();
        return WholeWindowDrift.Compare(model, logged, settings.ToDriftOptions());
    }

    /// <summary>Runs <paramref name="work"/> after a full collection, sampling the managed heap every 5 ms for its peak.</summary>
    private static async Task<(T Result, (double Seconds, long PeakBytes) Measure)> MeasureAsync<T>(Func<Task<T>> work)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var baseline = GC.GetTotalMemory(forceFullCollection: false);
        var peak = baseline;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                await Task.Delay(5, CancellationToken.None);
            }
        });
        var sw = Stopwatch.StartNew();
        var result = await work();
        var seconds = sw.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await sampler;
        return (result, (seconds, Math.Max(0, peak - baseline)));
    }

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
