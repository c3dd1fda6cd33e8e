using System.Diagnostics;
using System.Globalization;
using ChurnFlows.ML.Evaluation;
using ChurnFlows.ML.LightGbm;
using ChurnFlows.ML.Trees;

namespace ChurnFlows.Benchmarks.Training;

/// <summary>
/// GBDT fit time and test ROC-AUC: LightGBM through ML.NET (the product's trainer: missing-value chain, fit and
/// import included) beside the managed trainer of version 1 (kept only for this comparison), XGBoost hist and
/// scikit-learn HistGradientBoosting (run in the same process tree, same CSV, same machine), plus batch scoring
/// throughput and single-row latency (transform + predict + top-3 TreeSHAP reasons) of the LightGBM model. With peers,
/// every side trains and tests on the peer script's rows; ours are also fitted on the peers' 13 input columns alone
/// (no engineered features) for a like-for-like fit time.
/// Usage: <c>gbdt-training [CSV ...] [--no-peers] [--repeats N]</c>; default: 100k- and 1M-row synthetic churn CSVs (seed 42), written on first use; 5 timed fits each.
/// </summary>
public sealed class GbdtTrainingSuite : IBenchmarkSuite
{
    /// <summary>Gets the settings of the managed trainer: 100 rounds, depth 6, learning rate 0.3, 2 threads, XGBoost's regularization defaults.</summary>
    internal static GbdtBinaryTrainer.Options BenchmarkOptions => new()
    {
        NumberOfIterations = 100, LearningRate = 0.3, NumberOfLeaves = 63, MaximumDepth = 6, NumberOfThreads = 2, Seed = 42,

        // XGBoost's defaults (reg_lambda 1, min_child_weight 1), so both sides regularize alike.
        L2Regularization = 1, MinimumSumHessianPerLeaf = 1,
    };

    /// <summary>Gets the same settings for LightGBM.</summary>
    internal static LightGbmTreeTrainer.Options LightGbmOptions => new()
    {
        NumberOfIterations = 100, LearningRate = 0.3, NumberOfLeaves = 63, MaximumDepth = 6, NumberOfThreads = 2, Seed = 42,
        L2Regularization = 1, MinimumSumHessianPerLeaf = 1,
    };

    /// <inheritdoc />
    public string Name => "gbdt-training";

    /// <inheritdoc />
    public string Description => "GBDT fit time + test AUC: LightGBM via ML.NET vs managed trainer vs XGBoost hist / sklearn HGB, scoring rows/s, explain latency";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args)
    {
        var peers = !args.Contains("--no-peers");
        var r = Array.IndexOf(args, "--repeats");
        var repeats = r >= 0 ? int.Parse(args[r + 1], CultureInfo.InvariantCulture) : 5;
        var csvs = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || args[i - 1] != "--repeats")).ToArray();
        if (csvs.Length == 0)
        {
            csvs = [PeerScripts.SampleCsv(100_000), PeerScripts.SampleCsv(1_000_000)];
        }

        Console.WriteLine($"GBDT training benchmark, {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine();
        Console.WriteLine("| data | train rows | model | fit 2 thr (s) | test ROC-AUC | fit ratio vs LightGBM |");
        Console.WriteLine("|---|---:|---|---:|---:|---:|");
        var extra = new List<string>();
        foreach (var csv in csvs)
        {
            if (!File.Exists(csv))
            {
                await Console.Error.WriteLineAsync($"'{csv}' does not exist; write it with the sample-data generator first.");
                return 2;
            }

            await RunOneAsync(csv, peers, repeats, extra);
        }

        Console.WriteLine();
        foreach (var line in extra)
        {
            Console.WriteLine(line);
        }

        return 0;
    }

    private static async Task RunOneAsync(string csv, bool peers, int repeats, List<string> extra)
    {
        var name = Path.GetFileName(csv);
        // The peer's rows (when it runs), so both sides are tested on the same customers.
        var loaded = ChurnBenchmarkData.Load(csv, peers ? await PeerSplit.RowsAsync(csv) : null);
        var (trainData, testData, pipeline, train, test) = loaded;
        var yTrain = trainData.Labels;
        var (plainTrain, plainTest) = loaded.PassThroughOnly();

        // Warm-up (JIT, native load) on a slice, then the timed fits (median of the repeats).
        var warm = train.SelectRows([.. Enumerable.Range(0, Math.Min(20_000, train.RowCount))]);
        new LightGbmTreeTrainer(LightGbmOptions).Fit(warm, yTrain.AsSpan(0, warm.RowCount));
        new GbdtBinaryTrainer(BenchmarkOptions).Fit(warm, yTrain.AsSpan(0, warm.RowCount));

        var (lightGbm, times) = TimedFits(repeats, () => new LightGbmTreeTrainer(LightGbmOptions).Fit(train, yTrain));
        var fit = Median(times);
        var auc = Auc(lightGbm.PredictProbabilities(test), testData.Labels);
        Console.WriteLine(Row(name, train.RowCount, $"LightGBM via ML.NET ({train.ColumnCount} features: product pipeline)", fit, auc, 1.0));
        var (plainLightGbm, plainTimes) = TimedFits(repeats, () => new LightGbmTreeTrainer(LightGbmOptions).Fit(plainTrain, yTrain));
        Console.WriteLine(Row(name, train.RowCount, $"LightGBM via ML.NET ({plainTrain.ColumnCount} features: the peers' columns)", Median(plainTimes), Auc(plainLightGbm.PredictProbabilities(plainTest), testData.Labels), Median(plainTimes) / fit));

        // The managed trainer of version 1, kept only for this side-by-side measurement.
        var (managed, managedTimes) = TimedFits(repeats, () => new GbdtBinaryTrainer(BenchmarkOptions).Fit(train, yTrain));
        Console.WriteLine(Row(name, train.RowCount, $"managed GBDT, version 1 ({train.ColumnCount} features)", Median(managedTimes), Auc(managed.PredictProbabilities(test), testData.Labels), Median(managedTimes) / fit));
        var (plainManaged, plainManagedTimes) = TimedFits(repeats, () => new GbdtBinaryTrainer(BenchmarkOptions).Fit(plainTrain, yTrain));
        Console.WriteLine(Row(name, train.RowCount, $"managed GBDT, version 1 ({plainTrain.ColumnCount} features)", Median(plainManagedTimes), Auc(plainManaged.PredictProbabilities(plainTest), testData.Labels), Median(plainManagedTimes) / fit));
        if (peers)
        {
            var results = await PeerBaselines.RunAsync(csv, "xgb,hgb");
            foreach (var (peer, label) in new[] { ("xgb", "XGBoost hist"), ("hgb", "sklearn HGB") })
            {
                if (results.TryGetValue(peer, out var result))
                {
                    var peerFit = result.GetProperty("fit_s_2t").GetDouble();
                    Console.WriteLine(Row(name, train.RowCount, label, peerFit, result.GetProperty("test_roc_auc").GetDouble(), peerFit / fit));
                }
            }
        }

        extra.Add($"{name}: LightGBM fits {string.Join(", ", times.Select(t => t.ToString("F3", CultureInfo.InvariantCulture)))} s, {lightGbm.Iterations} trees; " + ScoringMeasures.Batch(lightGbm.Model, test));
        extra.Add($"{name}: " + ScoringMeasures.SingleRow(lightGbm.Model, pipeline, testData));
    }

    private static (T Model, List<double> Seconds) TimedFits<T>(int repeats, Func<T> fit)
    {
        var seconds = new List<double>();
        T model = default!;
        for (var rep = 0; rep < Math.Max(1, repeats); rep++)
        {
            var sw = Stopwatch.StartNew();
            model = fit();
            seconds.Add(sw.Elapsed.TotalSeconds);
        }

        return (model, seconds);
    }

    private static double Auc(double[] probabilities, float[] labels) => BinaryClassificationEvaluator.AreaUnderRocCurve(probabilities, labels);

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string Row(string data, int rows, string model, double fit, double auc, double ratio) =>
        string.Create(CultureInfo.InvariantCulture, $"| {data} | {rows} | {model} | {fit:F3} | {auc:F4} | {ratio:F2} |");
}
