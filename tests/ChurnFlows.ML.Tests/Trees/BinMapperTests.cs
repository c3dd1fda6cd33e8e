using ChurnFlows.ML.Trees;
using Xunit;

namespace ChurnFlows.ML.Tests.Trees;

public class BinMapperTests
{
    [Fact]
    public void Fit_FewDistinctValues_OneBinPerValueAtMidpoints()
    {
        double[] sample = [1, 1, 1, 2, 2, 2, 4, 4, 4];

        var mapper = BinMapper.Fit(sample, 255, minDataInBin: 3);

        Assert.Equal([1.5, 3.0, double.PositiveInfinity], mapper.UpperBounds);
        Assert.Equal(0, mapper.BinOf(1));
        Assert.Equal(1, mapper.BinOf(2));
        Assert.Equal(2, mapper.BinOf(4));
        Assert.Equal(2, mapper.BinOf(100));
        Assert.Equal(0, mapper.BinOf(-5));
    }

    [Fact]
    public void Fit_RareValues_MergedUntilMinimumDataInBin()
    {
        double[] sample = [1, 2, 3, 4, 4, 4, 5, 5, 5];

        var mapper = BinMapper.Fit(sample, 255, minDataInBin: 3);

        Assert.Equal([3.5, 4.5, double.PositiveInfinity], mapper.UpperBounds);
    }

    [Fact]
    public void Fit_MissingValues_GetTheLastBin()
    {
        double[] sample = [double.NaN, 1, 1, 1, 2, 2, 2, double.NaN];

        var mapper = BinMapper.Fit(sample, 255, minDataInBin: 3);

        Assert.Equal(2, mapper.ValueBinCount);
        Assert.Equal(2, mapper.MissingBin);
        Assert.Equal(3, mapper.BinCount);
        Assert.Equal(mapper.MissingBin, mapper.BinOf(double.NaN));
    }

    [Fact]
    public void Fit_AllMissing_OneEmptyValueBinAndMissingBin()
    {
        var mapper = BinMapper.Fit([double.NaN, double.NaN], 255, 3);

        Assert.Equal(1, mapper.ValueBinCount);
        Assert.Equal(1, mapper.BinOf(double.NaN));
    }

    [Fact]
    public void Fit_ManyDistinctValues_AtMostMaxBinsWithBalancedCounts()
    {
        var sample = Enumerable.Range(0, 10_000).Select(i => (double)i).ToArray();

        var mapper = BinMapper.Fit(sample, 100, minDataInBin: 3);

        Assert.True(mapper.ValueBinCount <= 100);
        Assert.True(mapper.ValueBinCount >= 95);
        var counts = new int[mapper.ValueBinCount];
        foreach (var v in sample)
        {
            counts[mapper.BinOf(v)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 80, 130));
    }

    [Fact]
    public void Fit_HeavyTies_FrequentValueGetsItsOwnBin()
    {
        // Half the sample is 0 (a typical churn count feature); the rest spreads over 1..5000.
        var sample = Enumerable.Repeat(0.0, 5_000).Concat(Enumerable.Range(1, 5_000).Select(i => (double)i)).ToArray();

        var mapper = BinMapper.Fit(sample, 50, minDataInBin: 3);

        Assert.Equal(0, mapper.BinOf(0));
        Assert.NotEqual(0, mapper.BinOf(1));
        Assert.True(mapper.ValueBinCount <= 50);
    }

    [Fact]
    public void ThresholdOf_Bin_ReproducesBinnedRuleInRawSpace()
    {
        var random = new Random(5);
        var sample = Enumerable.Range(0, 2_000).Select(_ => Math.Round(random.NextDouble() * 300, 1)).ToArray();
        var mapper = BinMapper.Fit(sample, 64, 3);

        for (var t = 0; t < mapper.ValueBinCount; t++)
        {
            var threshold = mapper.ThresholdOf(t);
            Assert.All(sample, v => Assert.Equal(mapper.BinOf(v) <= t, v <= threshold));
        }
    }

    [Fact]
    public void BinOf_ManyValues_EqualsFirstBoundNotBelowTheValue()
    {
        var random = new Random(61);
        var sample = Enumerable.Range(0, 5_000).Select(_ => Math.Round(random.NextDouble() * 100, 1)).ToArray();
        var mapper = BinMapper.Fit(sample, 255, 3);

        foreach (var value in sample.Concat([-1.0, 0.0, 100.0, 1e9, double.NegativeInfinity]))
        {
            var expected = Array.FindIndex(mapper.UpperBounds, bound => value <= bound);
            Assert.Equal(expected, mapper.BinOf(value));
        }

        Assert.Equal(mapper.MissingBin, mapper.BinOf(double.NaN));
    }
}
