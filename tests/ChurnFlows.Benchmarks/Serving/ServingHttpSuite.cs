using System.Globalization;
using System.Net.Http.Headers;
using ChurnFlows.Functions.Hosting.Azurite;
using ChurnFlows.Lifecycle;
using ChurnFlows.Lifecycle.Registry;
using ChurnFlows.Lifecycle.Training;
using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Data;
using ChurnFlows.TestKit;

namespace ChurnFlows.Benchmarks.Serving;

/// <summary>
/// Serving over HTTP, side by side in one run: the Release app (standalone, Production, prediction logging
/// on, a private Azurite) under <c>wrk -t2 -c16 -d20s</c> on <c>/api/predict</c> (with and without reasons) with the peers' fixed
/// customer, against FastAPI + uvicorn + XGBoost (uvloop + httptools, 1 and 2 workers) under the same
/// wrk script; the floors (the app's constant <c>GET /</c>, and a minimal C server, <see cref="NativeFloor"/>,
/// with 2 and 4 threads); batch scoring through <c>/api/predict/batch</c>; and the
/// number of predictions that reached the log. Best of <c>--runs</c> (default 2) for each server.
/// Usage: <c>serving-http [--runs N] [--seconds N] [--batch-only | --score-only] [--app-env KEY=VALUE ...] [CSV]</c>;
/// <c>--batch-only</c> measures the batch route and the log alone (no wrk, no peer), <c>--score-only</c> the
/// score-only route alone under wrk (no peer), for quick comparisons; <c>--app-env</c> (repeatable) sets an
/// environment variable of the app's process, to try runtime or app settings.
/// </summary>
public sealed class ServingHttpSuite : IBenchmarkSuite
{
    private const int BatchClients = 4;
    private const string FloorLabel = "floor:";

    /// <inheritdoc />
    public string Name => "serving-http";

    /// <inheritdoc />
    public string Description => "POST /api/predict under wrk (16 conns, 20 s) vs FastAPI + uvicorn + XGBoost; batch rows/s; prediction log count";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args)
    {
        var runs = Option(args, "--runs", 2);
        var batchOnly = args.Contains("--batch-only");
        var scoreOnly = args.Contains("--score-only");
        var appEnvironment = args.Zip(args.Skip(1)).Where(p => p.First == "--app-env").Select(p => p.Second.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty, StringComparer.Ordinal);
        var seconds = Option(args, "--seconds", 20);
        if (await LoadTools.FindMissingAsync() is { } missing)
        {
            await Console.Error.WriteLineAsync($"serving-http needs {missing}. Install them (Debian, root): apt-get install -y python3-xgboost python3-sklearn python3-optuna python3-pandas python3-fastapi python3-uvicorn python3-uvloop python3-httptools wrk");
            return 3;
        }

        var csv = args.FirstOrDefault(a => a.EndsWith(".csv", StringComparison.Ordinal)) ?? PeerScripts.SampleCsv(100_000);
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        await using var azurite = await AzuriteProcess.StartAsync(new AzuriteOptions());
        var containers = new ChurnContainers(AzuriteFixture.Connect(azurite.ConnectionString).Blobs);
        await containers.CreateIfNotExistsAsync();
        var version = await TrainAndPromoteAsync(csv, new ModelStore(containers.Models));

        var ours = new List<(string Label, WrkResult Result)>();
        var batches = new List<(string Label, BatchResult Result)>();
        long served = 1;
        await using (var app = await ServedApp.StartAsync(azurite.ConnectionString, "benchserving", appEnvironment))
        {
            if (await CheckSingleAsync(app.BaseAddress) is { } problem)
            {
                await Console.Error.WriteLineAsync($"POST /api/predict with the peers' customer failed: {problem}{Environment.NewLine}{app.Output}");
                return 1;
            }

            var routes = new[] { ("ChurnFlows POST /api/predict (score + top-3 TreeSHAP reasons, the default)", "/api/predict"), ("ChurnFlows POST /api/predict?reasons=false (score only, as the peer answers)", "/api/predict?reasons=false") };
            foreach (var (label, route) in batchOnly ? [] : scoreOnly ? routes[1..] : routes)
            {
                var (best, requests) = await MeasureSingleAsync(new Uri(app.BaseAddress, route), runs, seconds);
                ours.Add((label, best));
                served += requests;
            }

            if (!batchOnly)
            {
                // The floor: the same server and wrk on a route that does no work, so a reader can tell the latency
                // the 2 shared cores and the HTTP stack impose from the latency prediction adds.
                var (floor, _) = await MeasureSingleAsync(new Uri(app.BaseAddress, "/"), runs, seconds, post: false);
                ours.Add(($"{FloorLabel} ChurnFlows GET / (a constant answer, no model, for reference)", floor));
                ours.AddRange(await MeasureNativeFloorAsync(runs, seconds));
            }

            foreach (var (label, route, rows, mediaType) in scoreOnly ? [] : new[]
            {
                ("score only, 10,000 customers per request", "/api/predict/batch?reasons=false", 10_000, "application/json"),
                ("score only, 10,000 customers per request as text/csv", "/api/predict/batch?reasons=false", 10_000, "text/csv"),
                ("with reasons, 1,000 customers per request", "/api/predict/batch", 1_000, "application/json"),
            })
            {
                var (result, rowsServed) = await MeasureBatchAsync(new Uri(app.BaseAddress, route), csv, rows, mediaType);
                batches.Add((label, result));
                served += rowsServed;
            }

            var logged = await PredictionLogCount.SettledAsync(containers.Predictions, served);
            await app.DisposeAsync();
            if (batchOnly || scoreOnly)
            {
                foreach (var (label, result) in ours)
                {
                    Console.WriteLine(Text($"{label}: {result.RequestsPerSecond:N0} req/s, p50 {result.P50Milliseconds:F2} ms, p99 {result.P99Milliseconds:F2} ms, max {result.MaxMilliseconds:F1} ms"));
                }

                if (batches.Count > 0)
                {
                    PrintBatches(batches);
                }

                Console.WriteLine(LogLine(served, logged));
                return 0;
            }

            var peer = await MeasurePeerAsync(csv, runs);
            Print(ours, peer, batches, version, seconds, runs, load, served, logged);
        }

        return 0;
    }

    private static async Task<string> TrainAndPromoteAsync(string csv, ModelStore store)
    {
        var data = DatasetReader.ReadFile(csv).Dataset;
        var version = $"bench{DateTime.UtcNow:yyyyMMddHHmmss}";
        var outcome = new TrainingService(new TrainingOptions { Trials = 4, MaximumIterations = 300 })
            .Train(data, version, new ModelLineage { DatasetSha256 = Path.GetFileName(csv) });
        await store.SaveAsync(outcome.Artifact);
        await store.PromoteAsync(outcome.Artifact.Version);
        Console.Error.WriteLine(Text($"trained and promoted {version}: {outcome.Artifact.Model.Trees.Count} trees, test ROC-AUC {outcome.Artifact.Metrics?.AreaUnderRocCurve:F4}"));
        var trees = outcome.Artifact.Model.Trees;
        return Text($"{version}: {trees.Count} trees, {trees.Average(t => t.LeafValues.Count):F0} leaves on average");
    }

    private static async Task<string?> CheckSingleAsync(Uri baseAddress)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        using var content = new StringContent(LoadTools.WrkBody());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(new Uri("/api/predict", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        Console.Error.WriteLine($"check: {(int)response.StatusCode} {text}");
        return response.IsSuccessStatusCode && text.Contains("\"probability\"", StringComparison.Ordinal) ? null : $"{(int)response.StatusCode} {text}";
    }

    /// <summary>
    /// The native floor with 2 and 4 threads, under the same wrk GETs as the app's <c>GET /</c>: the latency the
    /// shared cores impose on any server. No rows, and a line saying so, when gcc is not on PATH.
    /// </summary>
    private static async Task<IReadOnlyList<(string Label, WrkResult Result)>> MeasureNativeFloorAsync(int runs, int seconds)
    {
        using var server = await NativeFloor.CompileAsync();
        if (server is null)
        {
            Console.Error.WriteLine("native floor rows skipped: gcc is not on PATH");
            return [];
        }

        var rows = new List<(string Label, WrkResult Result)>();
        foreach (var threads in new[] { 2, 4 })
        {
            var (floor, _) = await server.ServeAsync(threads, url => MeasureSingleAsync(url, runs, seconds, post: false, $"native floor, {threads} threads, GET /"));
            rows.Add(($"{FloorLabel} native, minimal C epoll server, {threads} threads, GET / (a constant answer, for reference)", floor));
        }

        return rows;
    }

    private static async Task<(WrkResult Best, long Served)> MeasureSingleAsync(Uri url, int runs, int seconds, bool post = true, string? name = null)
    {
        var best = default(WrkResult);
        long served = 0;
        for (var run = 0; run < runs; run++)
        {
            var warmUp = await LoadTools.WrkAsync(url, 3, post);
            var measured = await LoadTools.WrkAsync(url, seconds, post);
            served += warmUp.Requests - warmUp.Errors + measured.Requests - measured.Errors;
            best = WrkResult.Best(best, measured);
            Console.Error.WriteLine(Text($"{name ?? url.PathAndQuery} run {run + 1}: {measured.RequestsPerSecond:N0} req/s, p99 {measured.P99Milliseconds:F2} ms, {measured.Errors} errors"));
        }

        return (best!, served);
    }

    private static async Task<(BatchResult Result, long RowsServed)> MeasureBatchAsync(Uri url, string csv, int rows, string mediaType)
    {
        var body = mediaType == "text/csv" ? BatchLoad.CustomersCsv(csv, rows) : BatchLoad.CustomersJson(csv, rows);
        if (await BatchLoad.CheckAsync(url, body, rows, mediaType) is { } problem)
        {
            throw new InvalidOperationException($"POST {url.PathAndQuery} failed: {problem}");
        }

        var warmUp = await BatchLoad.RunAsync(url, body, rows, BatchClients, TimeSpan.FromSeconds(2), mediaType);
        var result = await BatchLoad.RunAsync(url, body, rows, BatchClients, TimeSpan.FromSeconds(10), mediaType);
        Console.Error.WriteLine(Text($"{url.PathAndQuery} ({mediaType}): {result.RowsPerSecond:N0} rows/s ({result.Requests} batches, {result.Failed} failed)"));
        return (result, (1 + warmUp.Requests + result.Requests) * rows);
    }

    private static async Task<IReadOnlyList<(string Label, WrkResult Result)>> MeasurePeerAsync(string csv, int runs)
    {
        var model = await PeerServing.TrainAsync(csv);
        var configurations = new (string Label, string[] Arguments)[]
        {
            ("FastAPI + uvicorn (uvloop, httptools), XGBoost booster, 1 worker", ["--loop", "uvloop", "--http", "httptools"]),
            ("FastAPI + uvicorn (uvloop, httptools), XGBoost booster, 2 workers", ["--loop", "uvloop", "--http", "httptools", "--workers", "2"]),
        };
        var results = new List<(string, WrkResult)>();
        foreach (var (label, arguments) in configurations)
        {
            var best = default(WrkResult);
            for (var run = 0; run < runs; run++)
            {
                var result = await PeerServing.BenchAsync(model, $"best{arguments.Length}", arguments);
                Console.Error.WriteLine(Text($"peer {label} run {run + 1}: {result.RequestsPerSecond:N0} req/s, p99 {result.P99Milliseconds:F2} ms"));
                best = WrkResult.Best(best, result);
            }

            results.Add((label, best!));
        }

        return results;
    }

    private static void Print(List<(string Label, WrkResult Result)> ours, IReadOnlyList<(string Label, WrkResult Result)> peers, List<(string Label, BatchResult Result)> batches, string version, int seconds, int runs, string load, long served, LoggedPredictions logged)
    {
        var peerBest = peers.MaxBy(p => p.Result.RequestsPerSecond).Result;
        Console.WriteLine(Text($"Serving over HTTP, wrk -t2 -c16 -d{seconds}s --latency on 127.0.0.1, best of {runs}, {Environment.ProcessorCount} cores (load average {load} at start), model {version}, {DateTime.UtcNow:yyyy-MM-dd}"));
        Console.WriteLine();
        Console.WriteLine("| server (Release, Production, prediction logging on) | req/s | p50 (ms) | p99 (ms) | max (ms) | errors | ÷ peer's best |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (label, result) in ours.Concat(peers))
        {
            Console.WriteLine(Text($"| {label} | {result.Cells()} | {result.RequestsPerSecond / peerBest.RequestsPerSecond:F2} |"));
        }

        Console.WriteLine();
        PrintBatches(batches);
        Console.WriteLine();
        Console.WriteLine(LogLine(served, logged));
        var fastest = ours.Where(o => !o.Label.StartsWith(FloorLabel, StringComparison.Ordinal)).MaxBy(o => o.Result.RequestsPerSecond).Result;
        Console.WriteLine(Text($"Goals (fastest route): req/s ≥ 5× the peer's best ({fastest.RequestsPerSecond / peerBest.RequestsPerSecond:F2}×): {Met(fastest.RequestsPerSecond >= 5 * peerBest.RequestsPerSecond)}; p99 ≤ 2 ms ({fastest.P99Milliseconds:F2} ms): {Met(fastest.P99Milliseconds <= 2)}; batch ≥ 500k rows/s ({batches[0].Result.RowsPerSecond:N0}): {Met(batches[0].Result.RowsPerSecond >= 500_000)}."));
    }

    private static string LogLine(long served, LoggedPredictions logged) =>
        Text($"Prediction log: {logged.Entries:N0} entries standing for {logged.StandsFor:N0} of {served:N0} served predictions ({(logged.StandsFor - served) / (double)Math.Max(1, served):+0.0%;-0.0%;0.0%} against the served count: sampled entries carry estimated weights, and entries dropped or not yet flushed count short; the app's rate limit is set by ChurnFlows__PredictionLogMaxPerSecond).");

    private static void PrintBatches(List<(string Label, BatchResult Result)> batches)
    {
        Console.WriteLine(Text($"| batch through POST /api/predict/batch ({BatchClients} clients, 10 s) | rows/s | batches | ms per batch | failed |"));
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (label, result) in batches)
        {
            Console.WriteLine(Text($"| {label} | {result.RowsPerSecond:N0} | {result.Requests} | {result.MeanMilliseconds:F0} | {result.Failed} |"));
        }

        Console.WriteLine();
    }

    private static string Met(bool met) => met ? "met" : "not met";

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
