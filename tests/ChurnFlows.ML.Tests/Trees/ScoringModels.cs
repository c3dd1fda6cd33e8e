using ChurnFlows.ML.Data;
using ChurnFlows.ML.Trees;

namespace ChurnFlows.ML.Tests.Trees;

/// <summary>
/// Seeded models and rows that probe every comparison a split can make: thresholds drawn from small per-feature pools
/// (with −0.0, +0.0 and ±∞ among them), and rows whose values are those very thresholds, their neighbouring doubles,
/// NaN, ±∞ or ±0.0 as often as not.
/// </summary>
internal sealed class ScoringModels(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>Gets the per-feature threshold pools of the last model built.</summary>
    public double[][] Pools { get; private set; } = [];

    /// <summary>
    /// A model of <paramref name="trees"/> random trees over <paramref name="features"/> features, of which only the first
    /// <paramref name="used"/> are split on; each tree has one path of exactly <paramref name="depth"/> splits.
    /// </summary>
    public GbdtModel Model(int features, int used, int trees, int depth, int thresholdsPerFeature)
    {
        Pools = [.. Enumerable.Range(0, features).Select(_ => Pool(thresholdsPerFeature))];
        var list = Enumerable.Range(0, trees).Select(_ => Tree(used, depth)).ToList();
        return new GbdtModel([.. Enumerable.Range(0, features).Select(f => $"f{f}")], -0.3, list, list.Count);
    }

    /// <summary>A random tree: a spine of <paramref name="depth"/> left children, other branches bushy near the root and stopping at random below.</summary>
    public RegressionTree Tree(int used, int depth)
    {
        List<int> feature = [], left = [], right = [];
        List<double> threshold = [], leafValue = [];
        List<bool> defaultLeft = [];
        int Grow(int level, bool spine)
        {
            if (level == depth || (!spine && _random.NextDouble() < (level < 4 ? 0.2 : 0.5)))
            {
                leafValue.Add((_random.NextDouble() * 2) - 1);
                return ~(leafValue.Count - 1);
            }

            var node = feature.Count;
            var f = _random.Next(used);
            feature.Add(f);
            threshold.Add(Pools[f][_random.Next(Pools[f].Length)]);
            defaultLeft.Add(_random.Next(2) == 0);
            left.Add(0);
            right.Add(0);
            left[node] = Grow(level + 1, spine);
            right[node] = Grow(level + 1, false);
            return node;
        }

        Grow(0, depth > 0);
        return Build(feature, threshold, defaultLeft, left, right, leafValue);
    }

    /// <summary>A complete tree of <paramref name="depth"/> levels (2^depth leaves) on random features and thresholds.</summary>
    public RegressionTree CompleteTree(int used, int depth)
    {
        var splits = (1 << depth) - 1;
        var feature = Enumerable.Range(0, splits).Select(_ => _random.Next(used)).ToList();
        var threshold = feature.Select(f => Pools[f][_random.Next(Pools[f].Length)]).ToList();
        var defaultLeft = feature.Select(_ => _random.Next(2) == 0).ToList();
        var left = Enumerable.Range(0, splits).Select(i => (2 * i) + 1 < splits ? (2 * i) + 1 : ~((2 * i) + 1 - splits)).ToList();
        var right = Enumerable.Range(0, splits).Select(i => (2 * i) + 2 < splits ? (2 * i) + 2 : ~((2 * i) + 2 - splits)).ToList();
        var leafValue = Enumerable.Range(0, splits + 1).Select(_ => (_random.NextDouble() * 2) - 1).ToList();
        return Build(feature, threshold, defaultLeft, left, right, leafValue);
    }

    /// <summary><paramref name="count"/> rows as a matrix, each value an edge case as often as not.</summary>
    public FeatureMatrix Rows(int count)
    {
        var columns = Pools.Select(pool => Enumerable.Range(0, count).Select(_ => Value(pool)).ToArray()).ToArray();
        return new FeatureMatrix([.. Enumerable.Range(0, columns.Length).Select(f => $"f{f}")], columns);
    }

    /// <summary>The model's definition of a score: the init score, then each tree's leaf in tree order.</summary>
    public static double Reference(GbdtModel model, ReadOnlySpan<double> row)
    {
        var sum = model.InitScore;
        foreach (var tree in model.Trees)
        {
            sum += tree.Evaluate(row);
        }

        return sum;
    }

    private static RegressionTree Build(List<int> feature, List<double> threshold, List<bool> defaultLeft, List<int> left, List<int> right, List<double> leafValue) =>
        new(feature, threshold, defaultLeft, left, right, [.. feature.Select(_ => 1.0)], [.. feature.Select(_ => 2.0)], leafValue, [.. leafValue.Select(_ => 1.0)]);

    /// <summary>Distinct thresholds: the signed zeros and infinities, a coarse grid (so rows hit them) and arbitrary doubles.</summary>
    private double[] Pool(int size)
    {
        double[] special = [-0.0, 0.0, double.PositiveInfinity, double.NegativeInfinity, 1.0];
        return [.. special.Concat(Enumerable.Range(0, Math.Max(0, size - special.Length)).Select(i => i % 2 == 0 ? Math.Round(_random.NextDouble() * 40) / 20 : (_random.NextDouble() * 3) - 1)).Take(size)];
    }

    private double Value(double[] pool)
    {
        var t = pool[_random.Next(pool.Length)];
        return _random.Next(10) switch
        {
            0 or 1 => double.NaN,
            2 or 3 => t,
            4 => Math.BitIncrement(t),
            5 => Math.BitDecrement(t),
            6 => _random.Next(2) == 0 ? double.PositiveInfinity : double.NegativeInfinity,
            7 => _random.Next(2) == 0 ? 0.0 : -0.0,
            _ => (_random.NextDouble() * 3) - 1,
        };
    }
}
