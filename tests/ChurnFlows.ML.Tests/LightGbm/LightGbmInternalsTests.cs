using System.Reflection;
using ChurnFlows.ML.LightGbm;
using ChurnFlows.ML.Tests.Trees;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;
using Xunit;

namespace ChurnFlows.ML.Tests.LightGbm;

public class LightGbmInternalsTests
{
    [Fact]
    public async Task Fit_WhileMlNetTrainingLockHeld_WaitsForIt()
    {
        // ML.NET 6.0 serializes LightGBM training per process on this static lock; if it went away, parallel trials would oversubscribe.
        var shared = typeof(LightGbmBinaryTrainer).Assembly.GetType("Microsoft.ML.Trainers.LightGbm.LightGbmShared", throwOnError: true)!;
        var gate = shared.GetField("LockForMultiThreadingInside", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
        var (train, labels) = TreeTestData.Logistic(500, seed: 4);
        var data = LightGbmTreeTrainer.Prepare(train, labels);
        var trainer = new LightGbmTreeTrainer(new() { NumberOfIterations = 5, NumberOfThreads = 1 });
        trainer.Fit(data);
        using var held = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var holder = new Thread(() =>
        {
            lock (gate)
            {
                held.Set();
                release.Wait();
            }
        });
        holder.Start();
        held.Wait();

        var fit = Task.Run(() => trainer.Fit(data));
        var finishedWhileHeld = await Task.WhenAny(fit, Task.Delay(TimeSpan.FromSeconds(3))) == fit;
        release.Set();
        var model = await fit.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.False(finishedWhileHeld);
        Assert.Equal(5, model.Iterations);
    }

    [Fact]
    public void Widen_DoublesAroundEveryThreshold_DecideAsSinglePrecisionDoes()
    {
        var random = new Random(3);
        float[] special = [0f, -0f, 1f, -1f, 0.5f, float.Epsilon, -float.Epsilon, 1e-35f, 16_777_216f, 3.3333333f];
        var thresholds = special.Concat(Enumerable.Range(0, 2_000).Select(_ => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 7)))));
        foreach (var t in thresholds)
        {
            var wide = EnsembleImport.Widen(t);
            double[] probes = [wide, Math.BitIncrement(wide), Math.BitDecrement(wide), t, MathF.BitIncrement(t), MathF.BitDecrement(t), ((double)t + MathF.BitIncrement(t)) / 2];
            foreach (var x in probes)
            {
                Assert.True((float)x <= t == x <= wide, $"threshold {t:R}, value {x:R}");
            }
        }
    }

    [Fact]
    public void FeatureMatrixDataView_WithImputation_EqualsMlNetChainOutput()
    {
        var (train, labels) = TreeTestData.Logistic(2_000, seed: 5, missingRate: 0.2);
        var data = LightGbmTreeTrainer.Prepare(train, labels);

        var ours = data.TrainView.GetColumn<VBuffer<float>>(FeatureMatrixDataView.FeaturesColumn).Select(v => v.DenseValues().ToArray()).ToList();
        var theirs = data.Imputer.Transform(new FeatureMatrixDataView(train, null)).GetColumn<VBuffer<float>>(FeatureMatrixDataView.FeaturesColumn).Select(v => v.DenseValues().ToArray()).ToList();

        Assert.Equal([5], data.Imputation.IndicatedFeatures);
        Assert.Equal(train.ColumnCount + 1, ours[0].Length);
        Assert.Equal(theirs, ours);
        Assert.Contains(ours, r => r[^1] == 1f);
    }
}
