using System.Diagnostics;
using System.Globalization;
using ChurnFlows.Benchmarks.Training;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Evaluation;
using ChurnFlows.ML.Features;
using ChurnFlows.ML.LightGbm;
using ChurnFlows.ML.Trees;
using ChurnFlows.Tuning.Objectives;
using ChurnFlows.Tuning.Pruners;
using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Benchmarks.Tuning;

/// <summary>
/// End-to-end tuning: a 50-trial TPE study with median pruning over the GBDT on the 100k synthetic churn CSV, then a
/// final model on the best parameters: the product's (LightGBM through ML.NET, reporting at rungs) beside version 1's
/// (the managed trainer, reporting every round; kept only for this comparison), against the peer's Optuna + XGBoost
/// study with pruning (same CSV, same trial budget, measured in the same run). All train, validate and test on the
/// peer's rows (scikit-learn's stratified 70/15/15 split, fetched before timing starts), so the test ROC-AUCs are
/// comparable; all use the peer's round budget (at most 1,000 rounds, early stopping after 50 rounds without
/// improvement). Each fit takes 2 threads. <c>--own-split</c> uses our split instead; <c>--no-managed</c> and
/// <c>--no-peers</c> leave those sides out. Usage: <c>tuning-gbdt [--trials N] [--own-split] [--no-managed] [--no-peers] [CSV]</c>.
/// </summary>
public sealed class GbdtStudySuite : IBenchmarkSuite
{
    /// <inheritdoc />
    public string Name => "tuning-gbdt";

    /// <inheritdoc />
    public string Description => "50-trial TPE + median pruning GBDT study (LightGBM; managed trainer) vs Optuna + XGBoost with pruning (wall time, test AUC)";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args)
    {
        var i = Array.IndexOf(args, "--trials");
        var trials = i >= 0 ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : 50;
        var csv = args.FirstOrDefault(a => a.EndsWith(".csv", StringComparison.Ordinal)) ?? PeerScripts.SampleCsv(100_000);
        var peers = !args.Contains("--no-peers");
        var rows = args.Contains("--own-split") ? null : await PeerSplit.RowsAsync(csv);

        var results = new List<string>();
        var ours = Timed(() =>
        {
            var (train, valid, test) = Load(csv, rows);
            var objective = Objective(train, valid);
            var study = Study.Create(StudyDirection.Maximize, seed: 42, pruner: new MedianPruner());
            study.Optimize(objective.Evaluate, trials);
            var model = new LightGbmTreeTrainer(objective.TrainerOptions(study.GetTrial(study.BestTrial.Number))).Fit(train.X, train.Data.Labels, valid.X, valid.Data.Labels);
            return (study, Auc(model.PredictProbabilities(test.X), test.Data.Labels));
        });
        results.Add(Row($"ChurnFlows TPE + median pruner + LightGBM via ML.NET, rungs {string.Join(" → ", Settings.Budgets)} (load, features, study, final fit)", ours, ours.Seconds));
        if (!args.Contains("--no-managed"))
        {
            var managed = Timed(() =>
            {
                var (train, valid, test) = Load(csv, rows);
                var objective = new ManagedGbdtObjective(Objective(train, valid), Seed, train.X, train.Data.Labels, valid.X, valid.Data.Labels);
                var study = Study.Create(StudyDirection.Maximize, seed: 42, pruner: new MedianPruner());
                study.Optimize(objective.Evaluate, trials);
                var model = new GbdtBinaryTrainer(objective.TrainerOptions(study.GetTrial(study.BestTrial.Number))).Fit(train.X, train.Data.Labels, default, valid.X, valid.Data.Labels);
                return (study, Auc(model.PredictProbabilities(test.X), test.Data.Labels));
            });
            results.Add(Row("ChurnFlows version 1: TPE + median pruner + managed GBDT, reporting every round (kept for this comparison)", managed, ours.Seconds));
        }

        System.Text.Json.JsonElement? optuna = null;
        if (peers)
        {
            var peer = (await PeerBaselines.RunAsync(csv, "optuna", trials))["optuna_xgb"];
            var optunaWall = peer.TryGetProperty("wall_s_total", out var w) ? w.GetDouble() : peer.GetProperty("fit_s_2t").GetDouble();
            results.Add(string.Create(CultureInfo.InvariantCulture, $"| Optuna 3.1 TPE + median pruner + XGBoost hist (peer script) | {optunaWall:F1} | {Prop(peer, "n_pruned")} | {peer.GetProperty("test_roc_auc").GetDouble():F4} | {optunaWall / ours.Seconds:F2} |"));
            optuna = peer;
        }

        Console.WriteLine($"GBDT tuning study, {trials} trials, {Path.GetFileName(csv)}, {DateTime.UtcNow:yyyy-MM-dd}, load average {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a")}");
        Console.WriteLine();
        Console.WriteLine("| pipeline | wall time (s) | pruned trials | test ROC-AUC | time / LightGBM study's |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        results.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Ours: {ours.Cpu:F1} CPU-s, best validation AUC {ours.Study.BestValue:F4}; rows split {(rows is null ? "our way (test sets differ)" : "as the peer does (same test rows)")}."));
        if (optuna is { } record)
        {
            Console.WriteLine("Peer record: " + record.GetRawText());
        }

        return 0;
    }

    private const int Seed = 42;

    /// <summary>The product objective with the peer's round budget (1,000 rounds, patience 50) and 2 threads.</summary>
    private static GbdtObjective Objective(Part train, Part valid) => new(train.X, train.Data.Labels, valid.X, valid.Data.Labels, Settings);

    private static GbdtObjective.Options Settings => new() { MaximumIterations = 1000, EarlyStoppingRounds = 50, NumberOfThreads = 2, Seed = Seed };

    private static (Part Train, Part Valid, Part Test) Load(string csv, DatasetSplit? rows)
    {
        var data = DatasetReader.ReadFile(csv).Dataset;
        var split = rows ?? DatasetSplit.Stratified(data.Labels, seed: 42);
        var (train, valid, test) = (data.SelectRows(split.Train), data.SelectRows(split.Validation), data.SelectRows(split.Test));
        var pipeline = FeaturePipeline.Fit(train);
        return (new Part(train, pipeline.Transform(train)), new Part(valid, pipeline.Transform(valid)), new Part(test, pipeline.Transform(test)));
    }

    private static Side Timed(Func<(Study Study, double TestAuc)> run)
    {
        var sw = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var (study, auc) = run();
        return new Side(sw.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds, study, auc);
    }

    private static string Row(string name, Side side, double reference) =>
        string.Create(CultureInfo.InvariantCulture, $"| {name} | {side.Seconds:F1} | {side.Study.State.Trials.Count(t => t.State == TrialState.Pruned)} | {side.TestAuc:F4} | {side.Seconds / reference:F2} |");

    private static double Auc(double[] probabilities, float[] labels) => BinaryClassificationEvaluator.AreaUnderRocCurve(probabilities, labels);

    private static string Prop(System.Text.Json.JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.ToString() : "n/a";

    /// <summary>One side's study: wall and CPU seconds, the study and the final model's test ROC-AUC.</summary>
    private sealed record Side(double Seconds, double Cpu, Study Study, double TestAuc);

    /// <summary>One part of the split: its rows as read and their features.</summary>
    private sealed record Part(TabularDataset Data, FeatureMatrix X);
}
