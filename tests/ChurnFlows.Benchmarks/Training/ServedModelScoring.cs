using System.Diagnostics;
using System.Globalization;
using ChurnFlows.Lifecycle.Training;
using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Trees;

namespace ChurnFlows.Benchmarks.Training;

/// <summary>
/// Batch scoring of a model like the served one: trained the way serving-http trains it (TrainingService, 4 trials, up to
/// 300 iterations, so ~200 leaf-wise trees of depth 8–10), kept in a temp file so that runs (and builds) compare one model.
/// Usage: <c>gbdt-scoring [CSV] --served [--score-loop=N]</c>.
/// </summary>
internal static class ServedModelScoring
{
    /// <summary>Rows per request of the serving benchmark's batch route.</summary>
    private const int BatchRows = 10_000;

    /// <summary>Runs the mode: model shape, batch rows/s on 2 threads, CPU per row-tree on 1 thread, single-row predict.</summary>
    public static int Run(string csv, string[] args)
    {
        var (model, rows) = Load(csv);
        var depths = model.Trees.Select(t => t.ComputeDepth()).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"served-like model: {model.Trees.Count} trees, {model.Trees.Average(t => t.LeafCount):F1} leaves on average, depth {depths.Min()}–{depths.Max()}, {model.FeatureNames.Count} features; {rows.RowCount} rows"));
        if (args.FirstOrDefault(a => a.StartsWith("--score-loop=", StringComparison.Ordinal)) is { } scoreLoop)
        {
            Console.WriteLine(CpuPerRowTree(model, rows, int.Parse(scoreLoop["--score-loop=".Length..], CultureInfo.InvariantCulture)));
            return 0;
        }

        Console.WriteLine(ScoringMeasures.Batch(model, rows, repeats: 21));
        Console.WriteLine(CpuPerRowTree(model, rows, 30));
        Console.WriteLine(SingleRowPredict(model, rows));
        return 0;
    }

    /// <summary>Scores the rows <paramref name="passes"/> times on one thread; process CPU time per row and tree.</summary>
    public static string CpuPerRowTree(GbdtModel model, FeatureMatrix rows, int passes)
    {
        var destination = new double[rows.RowCount];
        model.Compiled.PredictRaw(rows, destination, 1);
        var cpu = Environment.CpuUsage.TotalTime;
        for (var pass = 0; pass < passes; pass++)
        {
            model.Compiled.PredictRaw(rows, destination, 1);
        }

        var nanos = (Environment.CpuUsage.TotalTime - cpu).TotalNanoseconds / ((double)passes * rows.RowCount * model.Trees.Count);
        return string.Create(CultureInfo.InvariantCulture, $"1 thread, {passes} passes: process CPU time {nanos:F2} ns per row-tree ({nanos * model.Trees.Count / 1000:F2} µs per row); score bits hash {BitsHash(destination):X16}");
    }

    /// <summary>A hash of the scores' bit patterns: equal across builds only when every score is bit-identical.</summary>
    private static ulong BitsHash(double[] scores)
    {
        var hash = 14695981039346656037UL;
        foreach (var score in scores)
        {
            hash = (hash ^ (ulong)BitConverter.DoubleToInt64Bits(score)) * 1099511628211UL;
        }

        return hash;
    }

    private static string SingleRowPredict(GbdtModel model, FeatureMatrix rows)
    {
        var copies = Enumerable.Range(0, rows.RowCount).Select(i => new double[rows.ColumnCount]).ToArray();
        for (var i = 0; i < copies.Length; i++)
        {
            rows.CopyRow(i, copies[i]);
        }

        double sink = 0, best = double.MaxValue;
        for (var pass = 0; pass < 8; pass++)
        {
            var sw = Stopwatch.StartNew();
            foreach (var row in copies)
            {
                sink += model.PredictRaw(row);
            }

            best = pass > 0 ? Math.Min(best, sw.Elapsed.TotalMicroseconds / copies.Length) : best;
        }

        return string.Create(CultureInfo.InvariantCulture, $"single-row PredictRaw: {best:F2} µs per row, best of 7 passes (1 thread; checksum {sink:R})");
    }

    private static (GbdtModel Model, FeatureMatrix Rows) Load(string csv)
    {
        var cache = Path.Combine(Path.GetTempPath(), $"churnflows-served-{Path.GetFileNameWithoutExtension(csv)}.cfmodel");
        ModelArtifact artifact;
        if (File.Exists(cache))
        {
            artifact = ModelArtifactSerializer.Deserialize(File.ReadAllBytes(cache));
        }
        else
        {
            var sw = Stopwatch.StartNew();
            artifact = new TrainingService(new TrainingOptions { Trials = 4, MaximumIterations = 300 })
                .Train(DatasetReader.ReadFile(csv).Dataset, "served-scoring", new ModelLineage { DatasetSha256 = Path.GetFileName(csv) }).Artifact;
            File.WriteAllBytes(cache, ModelArtifactSerializer.Serialize(artifact));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained in {sw.Elapsed.TotalSeconds:F1} s; saved to {cache} (delete it to retrain)"));
        }

        var test = ChurnBenchmarkData.Load(csv).TestData;
        var rows = artifact.Pipeline.Transform(test);
        var take = Enumerable.Range(0, Math.Min(BatchRows, rows.RowCount)).ToArray();
        return (artifact.Model, rows.SelectRows(take));
    }
}
