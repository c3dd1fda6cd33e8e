using System.Diagnostics;
using System.Globalization;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Evaluation;
using ChurnFlows.ML.Features;
using ChurnFlows.ML.LightGbm;
using ChurnFlows.ML.Synthetic;
using ChurnFlows.Tuning.Objectives;
using ChurnFlows.Tuning.Samplers;
using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Benchmarks.Tuning;

/// <summary>
/// How to choose a trial's rungs (round budgets between which the pruner decides). Random configurations of the
/// default search space are trained once each to the full budget (500 rounds, early stopping after 25); the validation
/// ROC-AUC after every prefix of trees stands for what a rung of that budget would report (exact unless early stopping
/// ended the fit between the best iteration and the rung). Printed: per budget, the rank correlation of its AUC with
/// the final one; then, per rung schedule, a replay of a median-pruned study over the same configurations: rounds and
/// fits spent (each rung trains afresh), est. seconds from the measured per-fit overhead and per-round cost, and
/// whether the best configuration survives. Usage: <c>tuning-rungs [--rows N] [--configs K] [--threads T] [--studies SEEDS [--trials N]]</c> (defaults 50,000, 16, 2; no studies, 40 trials).
/// </summary>
public sealed class TuningRungsSuite : IBenchmarkSuite
{
    private static readonly int[] Budgets = [10, 25, 50, 100, 200];

    /// <inheritdoc />
    public string Name => "tuning-rungs";

    /// <inheritdoc />
    public string Description => "rung choice for LightGBM trials: AUC rank correlation per budget, replayed median-pruned studies";

    /// <inheritdoc />
    public Task<int> RunAsync(string[] args)
    {
        var rows = SuiteArguments.Value(args, "--rows", 50_000);
        var count = SuiteArguments.Value(args, "--configs", 16);
        var threads = SuiteArguments.Value(args, "--threads", 2);
        var data = SyntheticChurnGenerator.Generate(new() { Rows = rows, Seed = 42 });
        var split = DatasetSplit.Stratified(data.Labels, seed: 42);
        var (train, valid) = (data.SelectRows(split.Train), data.SelectRows(split.Validation));
        var pipeline = FeaturePipeline.Fit(train);
        var (xTrain, xValid) = (pipeline.Transform(train), pipeline.Transform(valid));
        var objective = new GbdtObjective(xTrain, train.Labels, xValid, valid.Labels, new() { NumberOfThreads = threads });
        var prepared = LightGbmTreeTrainer.Prepare(xTrain, train.Labels, xValid, valid.Labels);
        var study = Study.Create(StudyDirection.Maximize, seed: 42, sampler: new RandomSampler());
        var curves = new List<Curve>();
        double overhead = 0, perRound = 0;
        foreach (var trial in study.AskBatch(count, GbdtObjective.DefaultSearchSpace))
        {
            var options = objective.TrainerOptions(trial);
            var sw = Stopwatch.StartNew();
            new LightGbmTreeTrainer(options with { NumberOfIterations = 1 }).Fit(prepared);
            var one = sw.Elapsed.TotalSeconds;
            sw.Restart();
            var fit = new LightGbmTreeTrainer(options).Fit(prepared);
            var full = sw.Elapsed.TotalSeconds;
            overhead += one / count;
            perRound += Math.Max(0, full - one) / Math.Max(1, fit.Iterations - 1) / count;
            curves.Add(new Curve(fit.Iterations, PrefixAucs(fit, xValid, valid.Labels)));
        }

        Console.WriteLine($"Tuning rungs, {rows} rows ({xTrain.RowCount} train), {count} random configurations, {threads} threads, {DateTime.UtcNow:yyyy-MM-dd}, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Per fit: {overhead:F3} s before the first round (data set construction, import); {perRound * 1000:F2} ms per round; trees kept: {string.Join(" ", curves.Select(c => c.Trees))}"));
        Console.WriteLine();
        Console.WriteLine("| budget (rounds) | Spearman ρ with final AUC | best final configuration's rank at this budget |");
        Console.WriteLine("|---:|---:|---:|");
        var final = curves.Select(c => c.At(int.MaxValue)).ToArray();
        var best = Array.IndexOf(final, final.Max());
        foreach (var budget in Budgets)
        {
            var at = curves.Select(c => c.At(budget)).ToArray();
            var rank = 1 + at.Count(v => v > at[best]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {budget} | {Spearman(at, final):F3} | {rank} of {count} |"));
        }

        Console.WriteLine();
        Console.WriteLine("| rungs (then 500) | rounds trained | fits | est. seconds | best configuration kept | best AUC found |");
        Console.WriteLine("|---|---:|---:|---:|---|---:|");
        int[][] schedules = [[], [10], [25], [50], [100], [10, 100], [25, 100], [50, 100], [50, 200], [100, 200], [25, 100, 250]];
        foreach (var rungs in schedules)
        {
            var (rounds, fits, kept, found) = Replay(curves, rungs);
            var name = rungs.Length == 0 ? "none (no pruning)" : string.Join(" → ", rungs);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {rounds} | {fits} | {(fits * overhead) + (rounds * perRound):F1} | {(kept ? "yes" : "no")} | {found:F4} |"));
        }

        if (SuiteArguments.Value(args, "--studies", 0) is var studies and > 0)
        {
            Studies(xTrain, train.Labels, xValid, valid.Labels, studies, SuiteArguments.Value(args, "--trials", 40), threads);
        }

        return Task.FromResult(0);
    }

    /// <summary>
    /// Real TPE + median-pruner studies (the product objective, 5 start-up trials) per rung schedule and study seed: the
    /// sampler learns from what the pruner cut, which the replay cannot show. Process CPU seconds (a fair measure on a
    /// shared machine with one thread per fit) and the best validation ROC-AUC found.
    /// </summary>
    private static void Studies(FeatureMatrix train, float[] labels, FeatureMatrix valid, float[] validLabels, int seeds, int trials, int threads)
    {
        Console.WriteLine();
        Console.WriteLine($"| rungs (then 500) | {string.Join(" | ", Enumerable.Range(1, seeds).Select(s => $"seed {s}: CPU s, pruned, best validation AUC"))} | mean CPU s | mean best AUC |");
        Console.WriteLine($"|---|{string.Concat(Enumerable.Repeat("---|", seeds))}---:|---:|");
        int[][] schedules = [[], [10], [25], [50], [25, 100], [100]];
        foreach (var rungs in schedules)
        {
            var cells = new List<string>();
            var (cpu, best) = (new List<double>(), new List<double>());
            for (var seed = 1; seed <= seeds; seed++)
            {
                var objective = new GbdtObjective(train, labels, valid, validLabels, new() { Rungs = rungs, NumberOfThreads = threads });
                var study = Study.Create(StudyDirection.Maximize, seed: seed, pruner: new ChurnFlows.Tuning.Pruners.MedianPruner());
                var start = Environment.CpuUsage.TotalTime;
                study.Optimize(objective.Evaluate, trials);
                cpu.Add((Environment.CpuUsage.TotalTime - start).TotalSeconds);
                best.Add(study.BestValue);
                cells.Add(string.Create(CultureInfo.InvariantCulture, $"{cpu[^1]:F1}, {study.State.Trials.Count(t => t.State == TrialState.Pruned)}, {best[^1]:F4}"));
            }

            var name = rungs.Length == 0 ? "none (no pruning)" : string.Join(" → ", rungs);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {string.Join(" | ", cells)} | {cpu.Average():F1} | {best.Average():F4} |"));
        }
    }

    /// <summary>Optuna's median rule (5 start-up trials; the trial's best report so far against the completed trials' median at the rung) applied at each rung, trials in order; a trial ends early when its fit kept fewer trees than the rung.</summary>
    private static (long Rounds, int Fits, bool BestKept, double BestFound) Replay(List<Curve> curves, int[] rungs)
    {
        var completed = new List<Curve>();
        long rounds = 0;
        var fits = 0;
        foreach (var curve in curves)
        {
            var pruned = false;
            foreach (var rung in rungs)
            {
                fits++;
                rounds += Math.Min(rung, curve.Trees);
                if (curve.Trees < rung)
                {
                    break;
                }

                var others = completed.Select(c => c.At(rung)).Order().ToList();
                if (completed.Count >= 5 && rungs.Where(r => r <= rung).Max(curve.At) < Median(others))
                {
                    pruned = true;
                    break;
                }
            }

            if (!pruned && (rungs.Length == 0 || curve.Trees >= rungs[^1]))
            {
                fits++;
                rounds += curve.Trees;
            }

            if (!pruned)
            {
                completed.Add(curve);
            }
        }

        var best = curves.MaxBy(c => c.At(int.MaxValue))!;
        return (rounds, fits, completed.Contains(best), completed.Max(c => c.At(int.MaxValue)));
    }

    private static double[] PrefixAucs(LightGbmModel fit, FeatureMatrix valid, float[] labels)
    {
        var model = fit.ScoringModel;
        var raw = new double[valid.RowCount];
        Array.Fill(raw, model.InitScore);
        var row = new double[valid.ColumnCount];
        var aucs = new double[model.Trees.Count];
        for (var t = 0; t < aucs.Length; t++)
        {
            for (var i = 0; i < raw.Length; i++)
            {
                valid.CopyRow(i, row);
                raw[i] += model.Trees[t].Evaluate(row);
            }

            aucs[t] = BinaryClassificationEvaluator.AreaUnderRocCurve(raw, labels);
        }

        return aucs;
    }

    private static double Spearman(double[] a, double[] b)
    {
        static double[] Ranks(double[] v) => [.. v.Select(x => 1 + v.Count(y => y < x) + ((v.Count(y => y == x) - 1) / 2.0))];
        var (ra, rb) = (Ranks(a), Ranks(b));
        var (ma, mb) = (ra.Average(), rb.Average());
        var cov = ra.Zip(rb, (x, y) => (x - ma) * (y - mb)).Sum();
        return cov / Math.Sqrt(ra.Sum(x => (x - ma) * (x - ma)) * rb.Sum(y => (y - mb) * (y - mb)));
    }

    private static double Median(List<double> sorted) => (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;

    /// <summary>One configuration's validation AUC after each prefix of its trees.</summary>
    private sealed record Curve(int Trees, double[] Aucs)
    {
        public double At(int rounds) => Aucs[Math.Min(rounds, Trees) - 1];
    }
}
