using System.Diagnostics;
using System.Globalization;
using ChurnFlows.Benchmarks.Training;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Evaluation;
using ChurnFlows.ML.Features;
using ChurnFlows.ML.Trees;
using ChurnFlows.Tuning.Objectives;
using ChurnFlows.Tuning.Pruners;
using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Benchmarks.Tuning;

/// <summary>
/// End-to-end tuning: a 50-trial TPE study with median pruning over the GBDT on the 100k synthetic churn
/// CSV, then a final model on the best parameters, against the peer's Optuna + XGBoost study with pruning
/// (same CSV, same trial budget, measured in the same run). Both sides train, validate and test on the
/// peer's rows (scikit-learn's stratified 70/15/15 split, fetched before timing starts), so the test
/// ROC-AUCs are comparable; both use the peer's round budget (at most 1,000 rounds, early stopping after 50 rounds without improvement).
/// <c>--own-split</c> uses our split instead. Usage: <c>tuning-gbdt [--trials N] [--own-split] [CSV]</c>.
/// </summary>
public sealed class GbdtStudySuite : IBenchmarkSuite
{
    /// <inheritdoc />
    public string Name => "tuning-gbdt";

    /// <inheritdoc />
    public string Description => "50-trial TPE + median pruning GBDT study vs Optuna + XGBoost with pruning (wall time, test AUC)";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args)
    {
        var i = Array.IndexOf(args, "--trials");
        var trials = i >= 0 ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : 50;
        var csv = args.FirstOrDefault(a => a.EndsWith(".csv", StringComparison.Ordinal)) ?? PeerScripts.SampleCsv(100_000);

        var rows = args.Contains("--own-split") ? null : await PeerSplit.RowsAsync(csv);

        var sw = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var data = DatasetReader.ReadFile(csv).Dataset;
        var split = rows ?? DatasetSplit.Stratified(data.Labels, seed: 42);
        var (train, valid, test) = (data.SelectRows(split.Train), data.SelectRows(split.Validation), data.SelectRows(split.Test));
        var pipeline = FeaturePipeline.Fit(train);
        var (xTrain, xValid, xTest) = (pipeline.Transform(train), pipeline.Transform(valid), pipeline.Transform(test));
        var objective = new GbdtObjective(xTrain, train.Labels, xValid, valid.Labels, new GbdtObjective.Options { MaximumIterations = 1000, EarlyStoppingRounds = 50 });
        var study = Study.Create(StudyDirection.Maximize, seed: 42, pruner: new MedianPruner());
        study.Optimize(objective.Evaluate, trials);
        var best = study.GetTrial(study.BestTrial.Number);
        var finalOptions = objective.TrainerOptions(best);
        finalOptions.ValidationMetric = new GbdtValidationMetric("AUC", (l, s) => BinaryClassificationEvaluator.AreaUnderRocCurve(s, l), true);
        var model = new GbdtBinaryTrainer(finalOptions).Fit(xTrain, train.Labels, default, xValid, valid.Labels);
        var testAuc = BinaryClassificationEvaluator.AreaUnderRocCurve(model.PredictProbabilities(xTest), test.Labels);
        var ours = sw.Elapsed.TotalSeconds;
        var ourCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var pruned = study.State.Trials.Count(t => t.State == TrialState.Pruned);

        var peer = await PeerBaselines.RunAsync(csv, "optuna", trials);
        var optuna = peer["optuna_xgb"];
        var optunaWall = optuna.TryGetProperty("wall_s_total", out var w) ? w.GetDouble() : optuna.GetProperty("fit_s_2t").GetDouble();

        Console.WriteLine($"GBDT tuning study, {trials} trials, {Path.GetFileName(csv)}, {DateTime.UtcNow:yyyy-MM-dd}, load average {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a")}");
        Console.WriteLine();
        Console.WriteLine("| pipeline | wall time (s) | pruned trials | test ROC-AUC | peer wall / ours |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| ChurnFlows TPE + median pruner + GBDT (load, features, study, final fit) | {ours:F1} | {pruned} | {testAuc:F4} | 1.00 |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Optuna 3.1 TPE + median pruner + XGBoost hist (peer script) | {optunaWall:F1} | {Prop(optuna, "n_pruned")} | {optuna.GetProperty("test_roc_auc").GetDouble():F4} | {optunaWall / ours:F2} |"));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Ours: {ourCpu:F1} CPU-s, best validation AUC {study.BestValue:F4}; rows split {(rows is null ? "our way (test sets differ)" : "as the peer does (same test rows)")}."));
        Console.WriteLine("Peer record: " + optuna.GetRawText());
        return 0;
    }

    private static string Prop(System.Text.Json.JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.ToString() : "n/a";
}
