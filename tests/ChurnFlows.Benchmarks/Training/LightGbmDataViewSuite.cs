using System.Diagnostics;
using System.Globalization;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Features;
using ChurnFlows.ML.LightGbm;
using ChurnFlows.ML.Synthetic;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ChurnFlows.Benchmarks.Training;

/// <summary>
/// How LightGBM's input is built from the feature matrix: the product's in-place <c>IDataView</c> over the columns
/// against <c>LoadFromEnumerable</c> over row objects cached once (a float copy of the matrix). For each: the time and
/// bytes to build it, one full cursor pass, and a 10-round LightGBM fit reading it (median of 3).
/// Usage: <c>lightgbm-dataview [--rows N]</c> (default 100,000).
/// </summary>
public sealed class LightGbmDataViewSuite : IBenchmarkSuite
{
    /// <inheritdoc />
    public string Name => "lightgbm-dataview";

    /// <inheritdoc />
    public string Description => "LightGBM input: in-place IDataView vs LoadFromEnumerable over cached rows";

    /// <inheritdoc />
    public Task<int> RunAsync(string[] args)
    {
        var rows = SuiteArguments.Value(args, "--rows", 100_000);
        var data = SyntheticChurnGenerator.Generate(new() { Rows = rows, Seed = 42 });
        var x = FeaturePipeline.Fit(data).Transform(data);
        var labels = data.Labels;
        var options = new LightGbmTreeTrainer.Options { NumberOfIterations = 10, NumberOfThreads = 2 };
        Console.WriteLine($"LightGBM input views, {rows} rows × {x.ColumnCount} features, {DateTime.UtcNow:yyyy-MM-dd}");
        Console.WriteLine();
        Console.WriteLine("| view | build (s) | build allocated (MB) | one cursor pass (s) | 10-round fit (s) |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        for (var round = 0; round < 2; round++)
        {
            // The first round warms the JIT; only the second is printed.
            Measure("in-place IDataView over the columns (product)", () => new FeatureMatrixDataView(x, labels), options, round == 1);
            Measure("LoadFromEnumerable over cached rows", () => Enumerable(x, labels), options, round == 1);
        }

        return Task.FromResult(0);
    }

    private static void Measure(string name, Func<IDataView> build, LightGbmTreeTrainer.Options options, bool print)
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        var view = build();
        var buildSeconds = sw.Elapsed.TotalSeconds;
        var buildBytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        sw.Restart();
        var count = view.GetColumn<VBuffer<float>>(FeatureMatrixDataView.FeaturesColumn).Count();
        var pass = sw.Elapsed.TotalSeconds;
        var fits = new List<double>();
        for (var rep = 0; rep < 3; rep++)
        {
            sw.Restart();
            new MLContext(seed: 0).BinaryClassification.Trainers.LightGbm(options.ToMlNet(validation: false)).Fit(view);
            fits.Add(sw.Elapsed.TotalSeconds);
        }

        if (print && count > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {buildSeconds:F3} | {buildBytes / 1e6:F1} | {pass:F3} | {fits.Order().ElementAt(1):F3} |"));
        }
    }

    private static IDataView Enumerable(FeatureMatrix x, float[] labels)
    {
        var rows = new Row[x.RowCount];
        for (var r = 0; r < rows.Length; r++)
        {
            var features = new float[x.ColumnCount];
            for (var j = 0; j < features.Length; j++)
            {
                features[j] = (float)x[r, j];
            }

            rows[r] = new Row { Features = features, Label = labels[r] > 0.5f };
        }

        var definition = SchemaDefinition.Create(typeof(Row));
        definition[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, x.ColumnCount);
        return new MLContext().Data.LoadFromEnumerable(rows, definition);
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }
}
