using System.Diagnostics;
using System.Globalization;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Evaluation;
using ChurnFlows.ML.Trees;

namespace ChurnFlows.Benchmarks.Training;

/// <summary>
/// GBDT fit time and test ROC-AUC against XGBoost hist and scikit-learn HistGradientBoosting (run in
/// the same process tree, same CSV, same machine), plus batch scoring throughput and single-row
/// latency (transform + predict + top-3 TreeSHAP reasons). With peers, both sides train and test on the peer script's rows;
/// ours is also fitted on the peers' 13 input columns alone (no engineered features) for a like-for-like fit time.
/// Usage: <c>gbdt-training [CSV ...] [--no-peers]</c>; default: 100k- and 1M-row synthetic churn CSVs (seed 42), written on first use.
/// </summary>
public sealed class GbdtTrainingSuite : IBenchmarkSuite
{
    /// <summary>Gets the settings both GBDT sides use: 100 rounds, depth 6, learning rate 0.3, 2 threads, XGBoost's regularization defaults.</summary>
    internal static GbdtBinaryTrainer.Options BenchmarkOptions => new()
    {
        NumberOfIterations = 100, LearningRate = 0.3, NumberOfLeaves = 63, MaximumDepth = 6, NumberOfThreads = 2, Seed = 42,

        // XGBoost's defaults (reg_lambda 1, min_child_weight 1), so both sides regularize alike.
        L2Regularization = 1, MinimumSumHessianPerLeaf = 1,
    };

    /// <inheritdoc />
    public string Name => "gbdt-training";

    /// <inheritdoc />
    public string Description => "GBDT fit time + test AUC vs XGBoost hist / sklearn HGB, scoring rows/s, explain latency";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args)
    {
        var peers = !args.Contains("--no-peers");
        var csvs = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        if (csvs.Length == 0)
        {
            csvs = [PeerScripts.SampleCsv(100_000), PeerScripts.SampleCsv(1_000_000)];
        }

        Console.WriteLine($"GBDT training benchmark, {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine("| data | train rows | model | fit 2 thr (s) | test ROC-AUC | fit ratio vs ours |");
        Console.WriteLine("|---|---:|---|---:|---:|---:|");
        var extra = new List<string>();
        foreach (var csv in csvs)
        {
            if (!File.Exists(csv))
            {
                await Console.Error.WriteLineAsync($"'{csv}' does not exist; write it with the sample-data generator first.");
                return 2;
            }

            await RunOneAsync(csv, peers, extra);
        }

        Console.WriteLine();
        foreach (var line in extra)
        {
            Console.WriteLine(line);
        }

        return 0;
    }

    private static async Task RunOneAsync(string csv, bool peers, List<string> extra)
    {
        var name = Path.GetFileName(csv);
        // The peer's rows (when it runs), so both sides are tested on the same customers.
        var loaded = ChurnBenchmarkData.Load(csv, peers ? await PeerSplit.RowsAsync(csv) : null);
        var (trainData, testData, pipeline, train, test) = loaded;
        var yTrain = trainData.Labels;

        var options = BenchmarkOptions;

        // Warm-up (JIT) on a slice, then the timed fits (median of 5).
        var warm = train.SelectRows([.. Enumerable.Range(0, Math.Min(20_000, train.RowCount))]);
        new GbdtBinaryTrainer(options).Fit(warm, yTrain.AsSpan(0, warm.RowCount));
        var (model, times) = TimedFits(options, train, yTrain);
        var fit = Median(times);
        var auc = BinaryClassificationEvaluator.AreaUnderRocCurve(model.PredictProbabilities(test), testData.Labels);
        Console.WriteLine(Row(name, train.RowCount, $"ChurnFlows GBDT ({train.ColumnCount} features: product pipeline)", fit, auc, 1.0));

        // The same trainer on the peers' inputs: the schema's 13 value columns, without the engineered features.
        var (plainTrain, plainTest) = loaded.PassThroughOnly();
        var (plain, plainTimes) = TimedFits(options, plainTrain, yTrain);
        var plainFit = Median(plainTimes);
        var plainAuc = BinaryClassificationEvaluator.AreaUnderRocCurve(plain.PredictProbabilities(plainTest), testData.Labels);
        Console.WriteLine(Row(name, train.RowCount, $"ChurnFlows GBDT ({plainTrain.ColumnCount} features: the peers' columns)", plainFit, plainAuc, plainFit / fit));
        if (peers)
        {
            var results = await PeerBaselines.RunAsync(csv, "xgb,hgb");
            foreach (var (peer, label) in new[] { ("xgb", "XGBoost hist"), ("hgb", "sklearn HGB") })
            {
                if (results.TryGetValue(peer, out var r))
                {
                    var peerFit = r.GetProperty("fit_s_2t").GetDouble();
                    Console.WriteLine(Row(name, train.RowCount, label, peerFit, r.GetProperty("test_roc_auc").GetDouble(), peerFit / fit));
                }
            }
        }

        extra.Add($"{name}: fits {string.Join(", ", times.Select(t => t.ToString("F3", CultureInfo.InvariantCulture)))} s; " + ScoringMeasures.Batch(model, test));
        extra.Add($"{name}: " + ScoringMeasures.SingleRow(model, pipeline, testData));
    }

    private static (GbdtModel Model, List<double> Seconds) TimedFits(GbdtBinaryTrainer.Options options, FeatureMatrix train, float[] labels)
    {
        var seconds = new List<double>();
        GbdtModel? model = null;
        for (var rep = 0; rep < 5; rep++)
        {
            var sw = Stopwatch.StartNew();
            model = new GbdtBinaryTrainer(options).Fit(train, labels);
            seconds.Add(sw.Elapsed.TotalSeconds);
        }

        return (model!, seconds);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string Row(string data, int rows, string model, double fit, double auc, double ratio) =>
        string.Create(CultureInfo.InvariantCulture, $"| {data} | {rows} | {model} | {fit:F3} | {auc:F4} | {ratio:F2} |");
}
