using System.Diagnostics;
using System.Globalization;
using ChurnFlows.ML.Trees;

namespace ChurnFlows.Benchmarks.Training;

/// <summary>
/// A quick check of scoring alone: trains the benchmark's GBDT (100 trees, depth 6) once on the
/// 100k-row sample CSV, then measures batch scoring throughput and single-row latency with reasons.
/// Usage: <c>gbdt-scoring [CSV] [--explain-loop[=N] | --score-loop=N | --fit-loop=N [--fit-threads=T]]</c>;
/// <c>--served [--score-loop=N]</c> measures a model like the served one instead (<see cref="ServedModelScoring"/>).
/// </summary>
public sealed class GbdtScoringSuite : IBenchmarkSuite
{
    /// <inheritdoc />
    public string Name => "gbdt-scoring";

    /// <inheritdoc />
    public string Description => "GBDT batch scoring rows/s and single-row predict + top-3 TreeSHAP latency (no peers, one fit)";

    /// <inheritdoc />
    public Task<int> RunAsync(string[] args)
    {
        var csv = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? PeerScripts.SampleCsv(100_000);
        if (args.Contains("--served"))
        {
            return Task.FromResult(ServedModelScoring.Run(csv, args));
        }

        var (trainData, testData, pipeline, train, test) = ChurnBenchmarkData.Load(csv);
        if (args.FirstOrDefault(a => a.StartsWith("--fit-loop=", StringComparison.Ordinal)) is { } fitLoop)
        {
            // --fit-loop=N: N warm fits; wall time (best) and process CPU time (mean) per fit, for comparing trainer changes on a busy machine.
            var threads = args.FirstOrDefault(a => a.StartsWith("--fit-threads=", StringComparison.Ordinal)) is { } t ? int.Parse(t["--fit-threads=".Length..], CultureInfo.InvariantCulture) : 2;
            Console.WriteLine(FitLoop(train, trainData.Labels, int.Parse(fitLoop["--fit-loop=".Length..], CultureInfo.InvariantCulture), threads));
            return Task.FromResult(0);
        }

        var sw = Stopwatch.StartNew();
        var model = new GbdtBinaryTrainer(GbdtTrainingSuite.BenchmarkOptions).Fit(train, trainData.Labels);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(csv)}: fit {sw.Elapsed.TotalSeconds:F3} s (cold), {model.Trees.Count} trees"));
        var paths = model.Trees.SelectMany(PathFeatureCounts).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"leaves {paths.Count}, distinct features per path: mean {paths.Average():F2}, max {paths.Max()}"));
        if (args.FirstOrDefault(a => a.StartsWith("--explain-loop", StringComparison.Ordinal)) is { } loop)
        {
            // For profilers: --explain-loop[=N] explains N (default 200,000) test rows and nothing else.
            var rows = loop.StartsWith("--explain-loop=", StringComparison.Ordinal) ? int.Parse(loop["--explain-loop=".Length..], CultureInfo.InvariantCulture) : 200_000;
            Console.WriteLine(ScoringMeasures.ExplainLoop(model, test, rows));
            return Task.FromResult(0);
        }

        if (args.FirstOrDefault(a => a.StartsWith("--score-loop=", StringComparison.Ordinal)) is { } scoreLoop)
        {
            // For profilers: --score-loop=N scores the test matrix N times on one thread and nothing else.
            var passes = int.Parse(scoreLoop["--score-loop=".Length..], CultureInfo.InvariantCulture);
            var destination = new double[test.RowCount];
            var cpu = Environment.CpuUsage.TotalTime;
            for (var pass = 0; pass < passes; pass++)
            {
                model.Compiled.PredictRaw(test, destination, 1);
            }

            var micros = (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"score loop: {passes} x {test.RowCount} rows, process CPU time {micros / Math.Max(1, passes * test.RowCount):F3} µs per row"));
            return Task.FromResult(0);
        }

        Console.WriteLine(ScoringMeasures.Batch(model, test));
        Console.WriteLine(ScoringMeasures.SingleRow(model, pipeline, testData));
        return Task.FromResult(0);
    }

    private static string FitLoop(ML.Data.FeatureMatrix train, float[] labels, int fits, int threads)
    {
        var options = GbdtTrainingSuite.BenchmarkOptions;
        options.NumberOfThreads = threads;
        new GbdtBinaryTrainer(options).Fit(train, labels);
        var best = double.MaxValue;
        var cpu = Environment.CpuUsage.TotalTime;
        for (var i = 0; i < fits; i++)
        {
            var sw = Stopwatch.StartNew();
            new GbdtBinaryTrainer(options).Fit(train, labels);
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }

        var cpuSeconds = (Environment.CpuUsage.TotalTime - cpu).TotalSeconds / Math.Max(1, fits);
        return string.Create(CultureInfo.InvariantCulture, $"fit loop: {fits} warm fits of {train.RowCount} rows on {threads} threads, best {best:F3} s wall, {cpuSeconds:F3} s CPU per fit");
    }

    private static IEnumerable<int> PathFeatureCounts(RegressionTree tree)
    {
        var parents = new Dictionary<int, int>();
        for (var i = 0; i < tree.SplitFeatures.Count; i++)
        {
            parents[tree.LeftChildren[i]] = i;
            parents[tree.RightChildren[i]] = i;
        }

        for (var leaf = 0; leaf < tree.LeafCount && tree.SplitFeatures.Count > 0; leaf++)
        {
            var features = new HashSet<int>();
            for (var node = ~leaf; parents.TryGetValue(node, out var parent); node = parent)
            {
                features.Add(tree.SplitFeatures[parent]);
            }

            yield return features.Count;
        }
    }
}
