using ChurnFlows.ML.Explain;
using ChurnFlows.ML.Trees;
using Xunit;

namespace ChurnFlows.ML.Tests.Explain;

public class PathWeightTablesTests
{
    [Theory]
    [InlineData(3, 4, 1)]
    [InlineData(6, 8, 2)]
    [InlineData(8, 5, 3)]
    [InlineData(10, 20, 4)]
    public void AddContributions_RandomTrees_EqualRecursiveTreeShap(int maxDepth, int features, int seed)
    {
        var random = new Random(seed);
        var trees = Enumerable.Range(0, 40).Select(_ => RandomTree(random, maxDepth, features)).ToList();
        var skipped = new List<int>();
        var tables = PathWeightTables.Build(trees, skipped);
        var masks = new ulong[tables.MaskCapacity];
        var path = new PathElement[(maxDepth + 2) * (maxDepth + 3) / 2];

        Assert.Empty(skipped);
        for (var i = 0; i < 100; i++)
        {
            var row = RandomRow(random, features);
            var fast = new double[features];
            var reference = new double[features];
            tables.AddContributions(row, fast, masks);
            foreach (var tree in trees)
            {
                new TreeShapTree(tree).AddContributions(row, reference, path);
            }

            for (var f = 0; f < features; f++)
            {
                Assert.Equal(reference[f], fast[f], 10);
            }
        }
    }

    [Fact]
    public void Build_PathWithTooManyFeatures_SkipsTheTree()
    {
        var deep = Chain(PathWeightTables.MaxPathFeatures + 1);

        var skipped = new List<int>();
        var tables = PathWeightTables.Build([Chain(3), deep], skipped);

        Assert.Equal([1], skipped);
        Assert.Equal(1, tables.TreeCount);
    }

    [Fact]
    public void Build_ZeroCoverBranch_SkipsTheTree()
    {
        var tree = new RegressionTree([0], [0.5], [true], [~0], [~1], [1], [10], [0.3, -0.1], [10, 0]);

        var skipped = new List<int>();
        PathWeightTables.Build([tree], skipped);

        Assert.Equal([0], skipped);
    }

    [Fact]
    public void Explain_TreeTooDeepForTables_StillSumsToRawScore()
    {
        var model = new GbdtModel([.. Enumerable.Range(0, 12).Select(f => $"f{f}")], 0.1, [Chain(12), Chain(4)], 2);
        var shap = new TreeShap(model);
        var row = RandomRow(new Random(5), 12);
        var phi = new double[12];

        shap.Explain(row, phi);

        Assert.Equal(model.PredictRaw(row), shap.ExpectedValue + phi.Sum(), 10);
    }

    [Theory]
    [InlineData(0b1011_0110UL, 0b1111_0000UL, 0b1011u)]
    [InlineData(0UL, ulong.MaxValue, 0u)]
    [InlineData(0b101UL, 0b100_0101UL, 0b011u)]
    public void Extract_Mask_PacksSelectedBitsLowFirst(ulong value, ulong mask, uint expected)
    {
        Assert.Equal(expected, PathWeightTables.Extract(value, mask));
    }

    [Fact]
    public void ShapleyWeight_AllSizes_SumOverCoalitionsIsOne()
    {
        // Σ_s C(d−1, s) · s!(d−s−1)!/d! = 1 for one player's marginal contributions.
        const int players = 7;
        double total = 0;
        for (var size = 0; size < players; size++)
        {
            total += Choose(players - 1, size) * PathWeightTables.ShapleyWeight(size, players);
        }

        Assert.Equal(1.0, total, 12);
    }

    /// <summary>A random tree in the trainer's layout (children after parents), features repeating on paths, positive covers.</summary>
    internal static RegressionTree RandomTree(Random random, int maxDepth, int features)
    {
        List<int> feature = [], left = [], right = [];
        List<double> threshold = [], gain = [], cover = [], leafValue = [], leafCover = [];
        List<bool> defaultLeft = [];
        double CoverOf(int child) => child >= 0 ? cover[child] : leafCover[~child];
        int Grow(int depth)
        {
            if (depth == maxDepth || (depth > 0 && random.NextDouble() < 0.25))
            {
                leafValue.Add((random.NextDouble() * 2) - 1);
                leafCover.Add(random.Next(1, 200));
                return ~(leafValue.Count - 1);
            }

            var node = feature.Count;
            feature.Add(random.Next(features));
            threshold.Add(random.NextDouble());
            defaultLeft.Add(random.Next(2) == 0);
            gain.Add(1);
            left.Add(0);
            right.Add(0);
            cover.Add(0);
            left[node] = Grow(depth + 1);
            right[node] = Grow(depth + 1);
            cover[node] = CoverOf(left[node]) + CoverOf(right[node]);
            return node;
        }

        Grow(0);
        return new RegressionTree(feature, threshold, defaultLeft, left, right, gain, cover, leafValue, leafCover);
    }

    internal static double[] RandomRow(Random random, int features) =>
        [.. Enumerable.Range(0, features).Select(_ => random.NextDouble() < 0.15 ? double.NaN : random.NextDouble())];

    /// <summary>A chain of <paramref name="depth"/> splits, each on its own feature, every right child a leaf.</summary>
    private static RegressionTree Chain(int depth)
    {
        var left = Enumerable.Range(1, depth).Select(i => i < depth ? i : ~depth).ToArray();
        var right = Enumerable.Range(0, depth).Select(i => ~i).ToArray();
        var covers = Enumerable.Range(0, depth).Select(i => (double)(100 - (5 * i))).ToArray();
        var leafCovers = Enumerable.Range(0, depth + 1).Select(i => i < depth ? 5.0 : 100 - (5.0 * depth)).ToArray();
        var leafValues = Enumerable.Range(0, depth + 1).Select(i => (i % 3) - 1.0).ToArray();
        return new RegressionTree(
            [.. Enumerable.Range(0, depth)], [.. Enumerable.Repeat(0.5, depth)], [.. Enumerable.Repeat(true, depth)], left, right,
            [.. Enumerable.Repeat(1.0, depth)], covers, leafValues, leafCovers);
    }

    private static double Choose(int n, int k) => k == 0 ? 1 : Choose(n - 1, k - 1) * n / k;
}
