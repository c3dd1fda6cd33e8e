using System.Diagnostics;
using System.Globalization;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Explain;
using ChurnFlows.ML.Features;
using ChurnFlows.ML.Trees;

namespace ChurnFlows.Benchmarks.Training;

/// <summary>Batch scoring throughput and single-row latency (values → features → probability → top-3 TreeSHAP reasons) of a trained model.</summary>
internal static class ScoringMeasures
{
    /// <summary>Scores the matrix on 2 threads <paramref name="repeats"/> times after a warm-up; reports the best and the median.</summary>
    public static string Batch(GbdtModel model, FeatureMatrix test, int repeats = 7)
    {
        var destination = new double[test.RowCount];
        model.Compiled.PredictRaw(test, destination, 2);
        var times = new List<double>();
        for (var rep = 0; rep < repeats; rep++)
        {
            var sw = Stopwatch.StartNew();
            model.Compiled.PredictRaw(test, destination, 2);
            times.Add(sw.Elapsed.TotalSeconds);
        }

        var best = times.Min();
        var median = times.Order().ElementAt(repeats / 2);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"batch scoring {test.RowCount} rows x {model.Trees.Count} trees on 2 threads: {test.RowCount / best / 1e6:F2} M rows/s best, {test.RowCount / median / 1e6:F2} median of {repeats}");
    }

    /// <summary>
    /// Mean time per row of the serving path on one thread (best of 5 passes over up to 20,000 different rows), and of
    /// its predict and TreeSHAP parts alone (on the same rows, transformed beforehand).
    /// </summary>
    public static string SingleRow(GbdtModel model, FeaturePipeline pipeline, TabularDataset testData)
    {
        var inputs = pipeline.InputColumns.Select(c => testData.Columns[c]).ToArray();
        var cells = new double[inputs.Length];
        var shap = new TreeShap(model);
        var row = new double[pipeline.Features.Count];
        var reasons = new FeatureContribution[3];
        var samples = Math.Min(20_000, testData.RowCount);
        var rows = new double[samples][];
        for (var i = 0; i < samples; i++)
        {
            for (var c = 0; c < cells.Length; c++)
            {
                cells[c] = inputs[c][i];
            }

            rows[i] = new double[row.Length];
            pipeline.TransformRow(cells, rows[i]);
        }

        double sink = 0;
        double best = double.MaxValue, bestPredict = double.MaxValue, bestShap = double.MaxValue, bestCpu = double.MaxValue;
        for (var pass = 0; pass < 6; pass++)
        {
            var cpu = Environment.CpuUsage.TotalTime;
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < samples; i++)
            {
                for (var c = 0; c < cells.Length; c++)
                {
                    cells[c] = inputs[c][i];
                }

                pipeline.TransformRow(cells, row);
                sink += model.PredictProbability(row);
                sink += shap.TopReasons(row, reasons);
            }

            var full = sw.Elapsed.TotalMicroseconds / samples;
            var fullCpu = (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / samples;
            sw.Restart();
            foreach (var r in rows)
            {
                sink += model.PredictProbability(r);
            }

            var predict = sw.Elapsed.TotalMicroseconds / samples;
            sw.Restart();
            foreach (var r in rows)
            {
                sink += shap.TopReasons(r, reasons);
            }

            var shapOnly = sw.Elapsed.TotalMicroseconds / samples;
            if (pass > 0)
            {
                best = Math.Min(best, full);
                bestCpu = Math.Min(bestCpu, fullCpu);
                bestPredict = Math.Min(bestPredict, predict);
                bestShap = Math.Min(bestShap, shapOnly);
            }
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"single row transform + predict + top-3 TreeSHAP reasons: {best:F1} µs mean over {samples} rows, best of 5 (process CPU time {bestCpu:F1} µs; 1 thread; predict alone {bestPredict:F2} µs, top-3 TreeSHAP alone {bestShap:F1} µs; checksum {sink:F1})");
    }

    /// <summary>Explains <paramref name="rows"/> of the matrix's rows round-robin; returns the mean time per row.</summary>
    public static string ExplainLoop(GbdtModel model, FeatureMatrix test, int rows)
    {
        var shap = new TreeShap(model);
        var row = new double[test.ColumnCount];
        var reasons = new FeatureContribution[3];
        var cpu = Environment.CpuUsage.TotalTime;
        var sw = Stopwatch.StartNew();
        long count = 0;
        for (; count < rows; count++)
        {
            test.CopyRow((int)(count % test.RowCount), row);
            shap.TopReasons(row, reasons);
        }

        var cpuMicros = (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds;
        return string.Create(CultureInfo.InvariantCulture, $"explain loop: {sw.Elapsed.TotalMicroseconds / count:F1} µs per row over {count} rows (process CPU time {cpuMicros / count:F1} µs per row)");
    }
}
