using System.Diagnostics;
using ChurnFlows.Lifecycle.Monitoring;
using ChurnFlows.Lifecycle.Serving;
using ChurnFlows.TestKit;

namespace ChurnFlows.Lifecycle.Tests.Serving;

public class PredictionLoggerTests
{
    [Fact]
    public async Task Sample_BelowTheRate_KeepsEveryPredictionWithWeightOne()
    {
        await using var container = await AzuriteFixture.NewContainerAsync();
        await using var logger = new PredictionLogger(new PredictionLogStore(container.Client), "below", flushInterval: TimeSpan.FromHours(1), maxPerSecond: 1_000);

        var weights = new List<int>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(2.5))
        {
            weights.Add(logger.Sample());
            await Task.Delay(5);
        }

        Assert.All(weights, w => Assert.Equal(1, w));
        Assert.Equal(0, logger.SampledOut);
    }

    [Fact]
    public async Task Sample_FarAboveTheRate_KeepsAboutTheRate_AndTheWeightsAddUpToWhatWasServed()
    {
        await using var container = await AzuriteFixture.NewContainerAsync();
        await using var logger = new PredictionLogger(new PredictionLogStore(container.Client), "above", flushInterval: TimeSpan.FromHours(1), maxPerSecond: 1_000);

        // Serve as fast as one thread can for 3.5 s: the first 100 ms are kept whole (their rate is not known yet).
        long served = 0, kept = 0, weighed = 0, keptAfterFirstSecond = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(3.5))
        {
            var weight = logger.Sample();
            served++;
            kept += weight > 0 ? 1 : 0;
            weighed += weight;
            keptAfterFirstSecond += weight > 0 && clock.Elapsed > TimeSpan.FromSeconds(1.5) ? 1 : 0;
        }

        Assert.True(served > 100_000, $"only {served} predictions offered");
        Assert.InRange(keptAfterFirstSecond / 2.0, 300, 3_000);
        Assert.InRange((double)weighed / served, 0.9, 1.1);
        Assert.Equal(served - kept, logger.SampledOut);
        Assert.True(logger.SampledOut > served / 2, $"{logger.SampledOut} of {served} left out");
    }

    [Fact]
    public async Task Sample_RateZero_LogsEveryPrediction()
    {
        await using var container = await AzuriteFixture.NewContainerAsync();
        await using var logger = new PredictionLogger(new PredictionLogStore(container.Client), "all", flushInterval: TimeSpan.FromHours(1), maxPerSecond: 0);

        long kept = 0, served = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(1.5))
        {
            kept += logger.Sample();
            served++;
        }

        Assert.Equal(served, kept);
        Assert.Equal(0, logger.SampledOut);
    }
}
