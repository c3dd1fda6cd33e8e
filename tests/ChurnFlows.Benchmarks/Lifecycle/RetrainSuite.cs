using System.Diagnostics;
using System.Globalization;
using Azure.Storage.Blobs.Models;
using ChurnFlows.Durable;
using ChurnFlows.Durable.AzureStorage;
using ChurnFlows.Functions.Hosting.Azurite;
using ChurnFlows.Lifecycle;
using ChurnFlows.Lifecycle.Orchestration;
using ChurnFlows.TestKit;

namespace ChurnFlows.Benchmarks.Lifecycle;

/// <summary>
/// The full retrain through the durable lifecycle on Azurite: drop the 100k-row CSV, ingest (bronze,
/// validation, silver), gold split and features, a 50-trial TPE study with median pruning fanned out as
/// activities, final training, evaluation and promotion, against the peer's Optuna + XGBoost study with
/// pruning on the same CSV, trial budget and train/validation/test rows, measured in the same run.
/// Usage: <c>lifecycle-retrain [--trials N] [--batch N] [CSV]</c>.
/// </summary>
public sealed class RetrainSuite : IBenchmarkSuite
{
    /// <inheritdoc />
    public string Name => "lifecycle-retrain";

    /// <inheritdoc />
    public string Description => "drop CSV → ingest → 50-trial tuned retrain → promotion on Azurite vs Optuna + XGBoost (wall time, test AUC)";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args)
    {
        var trials = Option(args, "--trials", 50);
        var batch = Option(args, "--batch", Environment.ProcessorCount);
        var csv = args.FirstOrDefault(a => a.EndsWith(".csv", StringComparison.Ordinal)) ?? PeerScripts.SampleCsv(100_000);
        await using var azurite = await AzuriteProcess.StartAsync(new AzuriteOptions());
        var account = AzuriteFixture.Connect(azurite.ConnectionString);
        var hub = new AzureStorageTaskHub(account.Blobs, account.Queues, account.Tables, new AzureStorageTaskHubOptions { TaskHubName = "benchretrain" });
        var options = new LifecycleOptions { Retrain = new RetrainSettings { Trials = trials, BatchSize = batch, MaximumIterations = 1000, EarlyStoppingRounds = 50, PlateauWaves = 0, MaxTuningMinutes = 120 } };
        await using var runtime = await LifecycleRuntime.StartAsync(account.Blobs, account.Tables, hub, options);
        var lifecycle = runtime.Services;

        using var spans = new SpanBreakdown();
        var sw = Stopwatch.StartNew();
        var bytes = await File.ReadAllBytesAsync(csv);
        await lifecycle.Containers.Incoming.GetBlobClient("benchmark.csv").UploadAsync(BinaryData.FromBytes(bytes), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/csv" } });
        var ingestId = await lifecycle.StartIngestAsync("benchmark.csv", bytes);
        var ingest = await lifecycle.Client.WaitForInstanceCompletionAsync(ingestId);
        var ingestSeconds = sw.Elapsed.TotalSeconds;
        var retrain = await lifecycle.Client.WaitForInstanceCompletionAsync(LifecycleServices.RetrainInstanceId);
        var ours = sw.Elapsed.TotalSeconds;
        if (retrain.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            await Console.Error.WriteLineAsync($"retrain {retrain.RuntimeStatus}: {retrain.FailureDetails?.ErrorMessage} (ingest: {ingest.RuntimeStatus})");
            return 1;
        }

        var outcome = retrain.ReadOutputAs<RetrainOutcome>()!;
        var peer = await PeerStudyOnOurSplit.RunAsync(lifecycle, csv, trials);
        var peerWall = peer.TryGetProperty("wall_s_total", out var w) ? w.GetDouble() : peer.GetProperty("fit_s_2t").GetDouble();

        Console.WriteLine($"Full retrain, {trials} trials, {Path.GetFileName(csv)}, {hub.GetType().Name} on Azurite, {DateTime.UtcNow:yyyy-MM-dd}; both sides score the same test rows (our gold split)");
        Console.WriteLine();
        Console.WriteLine("| pipeline | wall time (s) | trials completed / pruned | test ROC-AUC | peer wall / ours |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Console.WriteLine(Text($"| ChurnFlows: drop → ingest ({ingestSeconds:F1} s) → gold → {trials} trials as activities ({batch} in flight) → final fit → evaluate → promote | {ours:F1} | {outcome.Tuning.Completed} / {outcome.Tuning.Pruned} | {outcome.Candidate.AreaUnderRocCurve:F4} | 1.00 |"));
        Console.WriteLine(Text($"| Optuna 3.1 TPE + median pruner + XGBoost hist, in memory (peer script's study on our split) | {peerWall:F1} | {Prop(peer, "n_complete")} / {Prop(peer, "n_pruned")} | {peer.GetProperty("test_roc_auc").GetDouble():F4} | {peerWall / ours:F2} |"));
        Console.WriteLine();
        Console.WriteLine("Where our wall time went (durable spans; activities of one wave overlap):");
        Console.WriteLine();
        Console.WriteLine("| span | count | total (s) | mean (ms) |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var row in spans.Rows())
        {
            Console.WriteLine(row);
        }

        Console.WriteLine();
        Console.WriteLine("Peer record: " + peer.GetRawText());
        return 0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string Prop(System.Text.Json.JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.ToString() : "n/a";

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
