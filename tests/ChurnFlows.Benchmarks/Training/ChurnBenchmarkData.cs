using ChurnFlows.ML.Data;
using ChurnFlows.ML.Features;

namespace ChurnFlows.Benchmarks.Training;

/// <summary>A churn CSV read the product's way: stratified 70/15/15 split (ours with seed 42, or given rows), feature pipeline fitted on the training part.</summary>
/// <param name="TrainData">The training rows as read.</param>
/// <param name="TestData">The test rows as read.</param>
/// <param name="Pipeline">The feature pipeline fitted on the training rows.</param>
/// <param name="Train">The training features.</param>
/// <param name="Test">The test features.</param>
internal sealed record ChurnBenchmarkData(TabularDataset TrainData, TabularDataset TestData, FeaturePipeline Pipeline, FeatureMatrix Train, FeatureMatrix Test)
{
    /// <summary>Reads and splits <paramref name="csv"/> (by <paramref name="rows"/> when given) and computes its features.</summary>
    public static ChurnBenchmarkData Load(string csv, DatasetSplit? rows = null)
    {
        var data = DatasetReader.ReadFile(csv).Dataset;
        var split = rows ?? DatasetSplit.Stratified(data.Labels, seed: 42);
        var trainData = data.SelectRows(split.Train);
        var testData = data.SelectRows(split.Test);
        var pipeline = FeaturePipeline.Fit(trainData);
        return new ChurnBenchmarkData(trainData, testData, pipeline, pipeline.Transform(trainData), pipeline.Transform(testData));
    }

    /// <summary>Gets the pass-through columns only (the schema's value columns, dates as days before the reference date): the peers' inputs.</summary>
    public (FeatureMatrix Train, FeatureMatrix Test) PassThroughOnly()
    {
        var count = Pipeline.InputColumns.Count;
        FeatureMatrix Take(FeatureMatrix m) => new([.. m.FeatureNames.Take(count)], [.. Enumerable.Range(0, count).Select(f => m.Column(f).ToArray())]);
        return (Take(Train), Take(Test));
    }
}
