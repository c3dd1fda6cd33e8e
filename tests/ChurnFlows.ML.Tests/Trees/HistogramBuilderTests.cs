using ChurnFlows.ML.Trees;
using Xunit;

namespace ChurnFlows.ML.Tests.Trees;

public class HistogramBuilderTests
{
    [Theory]
    [InlineData(100, 7)]
    [InlineData(10_000, 12)]
    [InlineData(10_001, 256)]
    public void SubtractInPlace_ParentMinusSmallerChild_EqualsDirectBuildOfLargerChild(int rows, int binCount)
    {
        var random = new Random(rows);
        var bins = new byte[rows];
        var g = new double[rows];
        var h = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            bins[i] = (byte)random.Next(binCount);
            g[i] = Math.Round(random.NextDouble() - 0.5, 3);
            h[i] = Math.Round(random.NextDouble() * 0.25, 3);
        }

        var all = Enumerable.Range(0, rows).ToArray();
        var small = all.Where(_ => random.NextDouble() < 0.3).ToArray();
        var large = all.Except(small).ToArray();
        var parent = new double[binCount * 3];
        var smallHist = new double[binCount * 3];
        var direct = new double[binCount * 3];
        HistogramBuilder.BuildAll(bins, g, h, parent);
        HistogramBuilder.BuildGathered(bins, small, small.Select(i => g[i]).ToArray(), small.Select(i => h[i]).ToArray(), smallHist);
        HistogramBuilder.BuildGathered(bins, large, large.Select(i => g[i]).ToArray(), large.Select(i => h[i]).ToArray(), direct);

        HistogramBuilder.SubtractInPlace(parent, smallHist);

        for (var k = 0; k < parent.Length; k++)
        {
            Assert.Equal(direct[k], parent[k], 9);
        }
    }

    [Fact]
    public void BuildGathered_KnownRows_SumsPerBin()
    {
        byte[] bins = [0, 1, 1, 2, 0];
        var hist = new double[9];

        HistogramBuilder.BuildGathered(bins, [1, 2, 4], [0.5, 0.25, -1], [0.1, 0.2, 0.3], hist);

        Assert.Equal([-1, 0.3, 1, 0.75, 0.30000000000000004, 2, 0, 0, 0], hist);
    }
}
