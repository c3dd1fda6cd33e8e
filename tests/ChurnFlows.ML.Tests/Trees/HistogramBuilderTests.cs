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
        var parent = new double[binCount * HistogramBuilder.Stride];
        var smallHist = new double[binCount * HistogramBuilder.Stride];
        var direct = new double[binCount * HistogramBuilder.Stride];
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
        var hist = new double[12];

        HistogramBuilder.BuildGathered(bins, [1, 2, 4], [0.5, 0.25, -1], [0.1, 0.2, 0.3], hist);

        Assert.Equal([-1, 0.3, 1, 0, 0.75, 0.30000000000000004, 2, 0, 0, 0, 0, 0], hist);
    }

    [Fact]
    public void BuildRows_AllRowsAndListedRows_EqualColumnWiseBuildOfEachFeature()
    {
        var random = new Random(71);
        int[] binCounts = [3, 17, 256, 2];
        const int rows = 3_000;
        var offsets = new int[binCounts.Length + 1];
        for (var f = 0; f < binCounts.Length; f++)
        {
            offsets[f + 1] = offsets[f] + binCounts[f];
        }

        var columns = binCounts.Select(c => Enumerable.Range(0, rows).Select(_ => (byte)random.Next(c)).ToArray()).ToArray();
        var rowMajor = new byte[rows * binCounts.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var f = 0; f < binCounts.Length; f++)
            {
                rowMajor[(r * binCounts.Length) + f] = columns[f][r];
            }
        }

        var g = Enumerable.Range(0, rows).Select(_ => random.NextDouble() - 0.5).ToArray();
        var h = Enumerable.Range(0, rows).Select(_ => random.NextDouble()).ToArray();
        var listed = Enumerable.Range(0, rows).Where(_ => random.NextDouble() < 0.4).ToArray();
        var all = new double[offsets[^1] * HistogramBuilder.Stride];
        var some = new double[all.Length];

        HistogramBuilder.BuildRows(rowMajor, offsets, 0, rows, g, h, all);
        HistogramBuilder.BuildRows(rowMajor, offsets, listed, g, h, some);

        for (var f = 0; f < binCounts.Length; f++)
        {
            var slice = new Range(offsets[f] * HistogramBuilder.Stride, offsets[f + 1] * HistogramBuilder.Stride);
            var expectedAll = new double[binCounts[f] * HistogramBuilder.Stride];
            var expectedSome = new double[expectedAll.Length];
            HistogramBuilder.BuildAll(columns[f], g, h, expectedAll);
            HistogramBuilder.BuildGathered(columns[f], listed, listed.Select(i => g[i]).ToArray(), listed.Select(i => h[i]).ToArray(), expectedSome);
            for (var k = 0; k < expectedAll.Length; k++)
            {
                Assert.Equal(expectedAll[k], all[slice][k], 9);
                Assert.Equal(expectedSome[k], some[slice][k], 9);
            }
        }
    }
}
