using ChurnFlows.ML.Drift;
using ChurnFlows.ML.Features;
using ChurnFlows.ML.Synthetic;
using Xunit;

namespace ChurnFlows.ML.Tests.Drift;

public class DriftDetectorTests
{
    [Fact]
    public void Psi_SameDistribution_NearZero_ShiftedDistribution_Large()
    {
        var random = new Random(1);
        var reference = FeatureHistogram.Fit("x", Enumerable.Range(0, 5000).Select(_ => random.NextDouble()).ToArray());
        var same = reference.EmptyCopy();
        var shifted = reference.EmptyCopy();
        for (var i = 0; i < 5000; i++)
        {
            same.Add(random.NextDouble());
            shifted.Add(random.NextDouble() * 0.5 + 0.5);
        }

        Assert.True(DriftDetector.Psi(reference, same) < 0.02);
        Assert.True(DriftDetector.Ks(reference, same) < 0.05);
        Assert.True(DriftDetector.Psi(reference, shifted) > 1);
        Assert.InRange(DriftDetector.Ks(reference, shifted), 0.45, 0.55);
    }

    [Fact]
    public void Compare_DriftedSyntheticData_FlagsEngagementFeaturesOnly()
    {
        var train = SyntheticChurnGenerator.Generate(new() { Rows = 5000, Seed = 1 });
        var pipeline = FeaturePipeline.Fit(train);
        var x = pipeline.Transform(train);
        var reference = FeatureHistogram.FitAll(x);

        var calm = DriftDetector.Compare(reference, pipeline.Transform(SyntheticChurnGenerator.Generate(new() { Rows = 3000, Seed = 2 })));
        var drifted = DriftDetector.Compare(reference, pipeline.Transform(SyntheticChurnGenerator.Generate(new() { Rows = 3000, Seed = 3, Drift = 1.5 })));

        Assert.False(calm.Drifted, string.Join(", ", calm.DriftedFeatures));
        Assert.True(drifted.Drifted);
        Assert.Contains("feature_usage_score", drifted.DriftedFeatures);
    }

    [Fact]
    public void Compare_WeightedRows_JudgeAsThatManyCopiesOfEachRow()
    {
        var train = SyntheticChurnGenerator.Generate(new() { Rows = 3000, Seed = 1 });
        var pipeline = FeaturePipeline.Fit(train);
        var reference = FeatureHistogram.FitAll(pipeline.Transform(train));
        var sample = pipeline.Transform(SyntheticChurnGenerator.Generate(new() { Rows = 400, Seed = 3, Drift = 1.5 }));
        var random = new Random(7);
        var weights = Enumerable.Range(0, sample.RowCount).Select(_ => random.Next(1, 6)).ToArray();
        var predictions = Enumerable.Range(0, sample.RowCount).Select(_ => random.NextDouble()).ToArray();
        var copies = Enumerable.Range(0, sample.RowCount).SelectMany(r => Enumerable.Repeat(r, weights[r])).ToArray();
        var expanded = new ChurnFlows.ML.Data.FeatureMatrix(sample.FeatureNames, [.. Enumerable.Range(0, sample.ColumnCount).Select(c => copies.Select(r => sample.Column(c)[r]).ToArray())]);
        var predictionReference = FeatureHistogram.Fit("probability", [.. Enumerable.Range(0, 1000).Select(_ => random.NextDouble())]);

        var weighted = DriftDetector.Compare(reference, sample, predictionReference: predictionReference, predictions: predictions, weights: weights);
        var repeated = DriftDetector.Compare(reference, expanded, predictionReference: predictionReference, predictions: [.. copies.Select(r => predictions[r])]);
        var unweighted = DriftDetector.Compare(reference, sample, predictionReference: predictionReference, predictions: predictions);

        Assert.Equal(repeated.Features, weighted.Features);
        Assert.Equal(repeated.Prediction, weighted.Prediction);
        Assert.Equal(copies.Length, weighted.CurrentCount);
        Assert.NotEqual(repeated.Features.Select(f => f.Psi), unweighted.Features.Select(f => f.Psi));
    }

    [Fact]
    public void Compare_TooFewRows_CallsNoDrift()
    {
        var reference = FeatureHistogram.Fit("x", Enumerable.Range(0, 1000).Select(i => (double)i).ToArray());
        var current = reference.EmptyCopy();
        for (var i = 0; i < 50; i++)
        {
            current.Add(5000);
        }

        var report = DriftDetector.Compare([reference], [current]);
        Assert.False(report.Drifted);
        Assert.True(report.Features[0].Psi > 1);
    }

    [Fact]
    public void Merge_DifferentBins_Throws()
    {
        var a = FeatureHistogram.Fit("x", [1, 2, 3, 4]);
        var b = FeatureHistogram.Fit("x", [10, 20, 30, 40]);
        Assert.Throws<ArgumentException>(() => a.Merge(b));
    }
}
