using ChurnFlows.ML.Data;
using ChurnFlows.ML.Features;

namespace ChurnFlows.Benchmarks.Training;

/// <summary>A churn CSV read the product's way: stratified 70/15/15 split (seed 42), feature pipeline fitted on the training part.</summary>
/// <param name="TrainData">The training rows as read.</param>
/// <param name="TestData">The test rows as read.</param>
/// <param name="Pipeline">The feature pipeline fitted on the training rows.</param>
/// <param name="Train">The training features.</param>
/// <param name="Test">The test features.</param>
internal sealed record ChurnBenchmarkData(TabularDataset TrainData, TabularDataset TestData, FeaturePipeline Pipeline, FeatureMatrix Train, FeatureMatrix Test)
{
    /// <summary>Reads and splits <paramref name="csv"/> and computes its features.</summary>
    public static ChurnBenchmarkData Load(string csv)
    {
        var data = DatasetReader.ReadFile(csv).Dataset;
        var split = DatasetSplit.Stratified(data.Labels, seed: 42);
        var trainData = data.SelectRows(split.Train);
        var testData = data.SelectRows(split.Test);
        var pipeline = FeaturePipeline.Fit(trainData);
        return new ChurnBenchmarkData(trainData, testData, pipeline, pipeline.Transform(trainData), pipeline.Transform(testData));
    }
}
