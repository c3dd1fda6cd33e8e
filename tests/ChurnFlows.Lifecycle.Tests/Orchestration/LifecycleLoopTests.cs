using ChurnFlows.Lifecycle.Monitoring;
using ChurnFlows.Lifecycle.Orchestration;
using ChurnFlows.Lifecycle.Registry;

namespace ChurnFlows.Lifecycle.Tests.Orchestration;

public class LifecycleLoopTests
{
    [Fact]
    public async Task DropCsv_IngestRetrainPromoteServeDrift_ClosesTheLoop()
    {
        await using var host = await LifecycleHost.StartAsync();
        var services = host.Services;

        // Drop → ingest → retrain → promoted.
        var ingest = await host.IngestAsync(await host.DropAsync("customers-1.csv", 6_000, seed: 11), startRetrain: true);
        Assert.True(ingest.Accepted);
        Assert.True(ingest.Retrain!.Started, ingest.Retrain.Message);
        var first = await host.WaitForRetrainAsync();
        Assert.True(first.Promoted, string.Join("; ", first.Reasons));
        Assert.Equal(8, first.Tuning.Completed + first.Tuning.Pruned + first.Tuning.Failed);
        Assert.Equal(first.CandidateVersion, await services.Models.GetProductionVersionAsync());
        var registered = await services.Registry.GetAsync(first.CandidateVersion);
        Assert.Equal(ModelStage.Production, registered!.Stage);
        Assert.Equal("promoted", registered.Decision);
        Assert.Equal(ingest.Sha256, registered.DatasetSha256);

        // Every step of both runs is recorded.
        var runs = await services.Runs.ListAsync();
        Assert.Contains(runs, r => r.Kind == "retrain" && r.RunId == first.RunId && r.Status == "completed" && r.LastStep == "promoted");
        var steps = await services.Runs.GetStepsAsync(first.RunId);
        Assert.Equal(["started", "features", "tune", "train", "evaluate", "promoted"], steps.Select(s => s.Step));

        // Served predictions whose inputs have drifted → the monitor starts a retrain with the reason.
        var model = await services.Models.LoadAsync(first.CandidateVersion);
        var rng = new Random(3);
        var drifted = Enumerable.Range(0, 400).Select(i => new PredictionLogEntry(DateTimeOffset.UtcNow.AddMinutes(-5), model.Version, $"C{i}", rng.NextDouble(),
            [.. model.Pipeline.FeatureNames.Select(_ => 1_000 + (rng.NextDouble() * 10))])).ToList();
        await services.Predictions.AppendPredictionsAsync("test", drifted);
        var driftId = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(DriftMonitorOrchestrator));
        var drift = (await host.WaitAsync(driftId)).ReadOutputAs<DriftMonitorOutcome>()!;
        Assert.Equal(400, drift.Check.Predictions);
        Assert.NotEmpty(drift.Check.DriftedFeatures);
        Assert.Contains(drift.Check.Triggers, t => t.StartsWith("feature drift", StringComparison.Ordinal));
        Assert.True(drift.Retrain!.Started, drift.Retrain.Message);

        // The drift-triggered retrain compares against the champion on the same holdout and decides with reasons.
        var second = await host.WaitForRetrainAsync();
        Assert.NotEqual(first.CandidateVersion, second.CandidateVersion);
        Assert.NotNull(second.Champion);
        Assert.Contains(second.Reasons, r => r.Contains("vs champion", StringComparison.Ordinal));
        Assert.Equal(second.Promoted ? second.CandidateVersion : first.CandidateVersion, await services.Models.GetProductionVersionAsync());
        Assert.Equal(2, (await services.Registry.ListAsync()).Count);
    }

    [Fact]
    public async Task BadCsv_LandsInQuarantineWithReport_AndStartsNoRetrain()
    {
        await using var host = await LifecycleHost.StartAsync();
        var blob = await host.DropAsync("broken.csv", 500, seed: 4, edit: csv => csv.Replace("total_spent", "spent_total", StringComparison.Ordinal));

        var ingest = await host.IngestAsync(blob, startRetrain: true);

        Assert.False(ingest.Accepted);
        Assert.Null(ingest.Retrain);
        Assert.StartsWith("churn-quarantine/", ingest.DatasetBlob, StringComparison.Ordinal);
        Assert.Contains(ingest.Failures, f => f.Contains("total_spent", StringComparison.Ordinal));
        var report = host.Services.Containers.Quarantine.GetBlobClient(ingest.ReportBlob["churn-quarantine/".Length..]);
        Assert.True(await report.ExistsAsync());
        Assert.True(await host.Services.Containers.Incoming.GetBlobClient(blob).ExistsAsync());
        Assert.False((await host.Services.Datasets.GetAsync(ingest.Sha256))!.Accepted);
        Assert.Null(await host.Client.GetInstanceAsync(LifecycleServices.RetrainInstanceId));
    }

    [Fact]
    public async Task WorseCandidate_IsRejected_AndTheChampionKeepsServing()
    {
        await using var host = await LifecycleHost.StartAsync();
        var good = await host.IngestAsync(await host.DropAsync("good.csv", 6_000, seed: 21), startRetrain: true);
        var champion = await host.WaitForRetrainAsync();
        Assert.True(champion.Promoted, string.Join("; ", champion.Reasons));

        // Same customers, labels shuffled: nothing left to learn.
        var noise = await host.IngestAsync(await host.DropAsync("noise.csv", 6_000, seed: 22, edit: ShuffleLabels), startRetrain: false);
        Assert.True(noise.Accepted);
        var start = await host.Services.StartRetrainAsync(new StartRetrainRequest("test: noisy data", noise.Sha256));
        Assert.True(start.Started, start.Message);
        var rejected = await host.WaitForRetrainAsync();

        Assert.False(rejected.Promoted);
        Assert.Contains(rejected.Reasons, r => r.StartsWith("FAIL: ROC-AUC", StringComparison.Ordinal));
        Assert.Equal(champion.CandidateVersion, await host.Services.Models.GetProductionVersionAsync());
        Assert.Equal("rejected", (await host.Services.Registry.GetAsync(rejected.CandidateVersion))!.Decision);
        Assert.NotEqual(good.Sha256, noise.Sha256);
    }

    [Fact]
    public async Task SecondRetrain_WhileOneRuns_IsRefused()
    {
        await using var host = await LifecycleHost.StartAsync(LifecycleHost.FastOptions with { Retrain = LifecycleHost.FastOptions.Retrain with { RequireApproval = true } });
        await host.IngestAsync(await host.DropAsync("a.csv", 4_000, seed: 31), startRetrain: false);

        var first = await host.Services.StartRetrainAsync(new StartRetrainRequest("test: first"));
        var second = await host.Services.StartRetrainAsync(new StartRetrainRequest("test: second"));

        Assert.True(first.Started, first.Message);
        Assert.False(second.Started);
        Assert.Equal(first.RunId, second.RunId);
        Assert.Contains("already running", second.Message, StringComparison.Ordinal);

        // The first waits for approval; rejecting it ends the run without promotion.
        await WaitForStatusAsync(host, first.RunId!, "awaiting-approval");
        await host.Client.RaiseEventAsync(LifecycleServices.RetrainInstanceId, RetrainOrchestrator.ApprovalEvent, new ApprovalDecision(false, "reviewer", "not this week"));
        var outcome = await host.WaitForRetrainAsync();
        Assert.False(outcome.Promoted);
        Assert.Contains("rejected by reviewer (not this week)", outcome.Reasons);
        Assert.Null(await host.Services.Models.GetProductionVersionAsync());
    }

    internal static string ShuffleLabels(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var labels = lines.Skip(1).Select(l => l[(l.LastIndexOf(',') + 1)..]).ToArray();
        new Random(7).Shuffle(labels);
        return string.Join('\n', lines.Take(1).Concat(lines.Skip(1).Select((l, i) => l[..(l.LastIndexOf(',') + 1)] + labels[i]))) + "\n";
    }

    private static async Task WaitForStatusAsync(LifecycleHost host, string runId, string status)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while ((await host.Services.Runs.GetAsync(runId, timeout.Token))?.Status != status)
        {
            await Task.Delay(200, timeout.Token);
        }
    }
}
