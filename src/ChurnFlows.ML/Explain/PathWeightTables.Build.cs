using System.Numerics;
using ChurnFlows.ML.Trees;

namespace ChurnFlows.ML.Explain;

/// <content>Building the tables: each leaf's merged path features, zero fractions and subset weights.</content>
internal sealed partial class PathWeightTables
{
    /// <summary>The most distinct features a leaf's path may have (its table holds 2^this entries).</summary>
    public const int MaxPathFeatures = 10;

    /// <summary>Leaves with at most this many path features store each pattern's whole contribution vector (2^d·d entries).</summary>
    public const int VectorPathFeatures = 6;

    // Contribution vectors cost d times the memory of plain weights; above this many doubles (16 MB), a model keeps plain weights only.
    private const int VectorBudget = 2 << 20;

    /// <summary>
    /// Tabulates every tree that fits (at most 64 distinct features, at most <see cref="MaxPathFeatures"/>
    /// per path, no zero-cover branch); the indices of the others are returned in <paramref name="skipped"/>.
    /// Trees without a split contribute nothing and are left out.
    /// </summary>
    public static PathWeightTables Build(IReadOnlyList<RegressionTree> trees, List<int> skipped)
    {
        ArgumentNullException.ThrowIfNull(trees);
        ArgumentNullException.ThrowIfNull(skipped);
        var builder = Tabulate(trees, skipped, VectorPathFeatures);
        if (builder.Weights.Count > VectorBudget)
        {
            skipped.Clear();
            builder = Tabulate(trees, skipped, 0);
        }

        return new PathWeightTables(
            [.. builder.Nodes], [.. builder.Leaves], [.. builder.Slots], [.. builder.Weights],
            [.. builder.Trees], builder.MaskCapacity);
    }

    private static Builder Tabulate(IReadOnlyList<RegressionTree> trees, List<int> skipped, int vectorPathFeatures)
    {
        var builder = new Builder(vectorPathFeatures);
        for (var t = 0; t < trees.Count; t++)
        {
            if (trees[t].SplitFeatures.Count > 0 && !builder.TryAdd(trees[t]))
            {
                skipped.Add(t);
            }
        }

        return builder;
    }

    /// <summary>The Shapley weight of a coalition of <paramref name="size"/> among <paramref name="players"/>: s!(d−s−1)!/d!.</summary>
    internal static double ShapleyWeight(int size, int players)
    {
        double weight = 1.0 / players;
        for (var i = 1; i <= size; i++)
        {
            weight *= i / (double)(players - i);
        }

        return weight;
    }

    private sealed partial class Builder(int vectorPathFeatures)
    {
        public List<Node> Nodes { get; } = [];

        public List<Leaf> Leaves { get; } = [];

        public List<Slot> Slots { get; } = [];

        public List<double> Weights { get; } = [];

        public List<TreeRange> Trees { get; } = [];

        public int MaskCapacity { get; private set; } = 1;

        public bool TryAdd(RegressionTree tree)
        {
            var n = tree.SplitFeatures.Count;
            var local = new int[n];
            var globalOf = new List<int>();
            for (var i = 0; i < n; i++)
            {
                var index = globalOf.IndexOf(tree.SplitFeatures[i]);
                if (index < 0)
                {
                    index = globalOf.Count;
                    globalOf.Add(tree.SplitFeatures[i]);
                }

                local[i] = index;
            }

            if (globalOf.Count > 64)
            {
                return false;
            }

            var parents = ParentsOf(tree);
            var leaves = new (ulong Features, double[] Zero)[tree.LeafCount];
            for (var leaf = 0; leaf < leaves.Length; leaf++)
            {
                leaves[leaf] = PathOf(tree, local, parents, leaf);
                var d = BitOperations.PopCount(leaves[leaf].Features);
                if (d > MaxPathFeatures || leaves[leaf].Zero.AsSpan(0, d).Contains(0.0))
                {
                    return false;
                }
            }

            var nodeStart = Nodes.Count;
            for (var i = 0; i < n; i++)
            {
                int Slot(int child) => child >= 0 ? child : n + ~child;
                Nodes.Add(new Node(
                    tree.Thresholds[i], 1UL << local[i], tree.SplitFeatures[i], Slot(tree.LeftChildren[i]), Slot(tree.RightChildren[i]), tree.DefaultLeft[i] ? 1 : 0));
            }

            // Sibling leaves share their path, so a pair is tabulated together: one row of contributions for both.
            var leafStart = Leaves.Count;
            var paired = new bool[leaves.Length];
            var pairs = Enumerable.Range(0, n)
                .Where(i => tree.LeftChildren[i] < 0 && tree.RightChildren[i] < 0 && leaves[~tree.LeftChildren[i]].Zero.Length <= vectorPathFeatures)
                .OrderBy(i => leaves[~tree.LeftChildren[i]].Zero.Length).ToList();
            foreach (var i in pairs)
            {
                int left = ~tree.LeftChildren[i], right = ~tree.RightChildren[i];
                paired[left] = paired[right] = true;
                AddPair(leaves[left], leaves[right], local[i], globalOf, tree.LeafValues[left], tree.LeafValues[right], n + left, n + right);
            }

            var singles = Enumerable.Range(0, leaves.Length).Where(l => !paired[l]).OrderBy(l => leaves[l].Zero.Length).ToList();
            foreach (var leaf in singles)
            {
                AddLeaf(leaves[leaf].Features, leaves[leaf].Zero, globalOf, tree.LeafValues[leaf], n + leaf);
            }

            var vectorSingles = singles.Count(l => leaves[l].Zero.Length <= vectorPathFeatures);
            Trees.Add(new TreeRange(nodeStart, n, leafStart, pairs.Count, vectorSingles, singles.Count - vectorSingles));
            MaskCapacity = Math.Max(MaskCapacity, n + leaves.Length);
            return true;
        }

        /// <summary>A leaf's distinct path features (tree-local bits) and, per feature in bit order, its zero fraction.</summary>
        private static (ulong Features, double[] Zero) PathOf(RegressionTree tree, int[] local, int[] parents, int leaf)
        {
            var byLocal = new double[64];
            Array.Fill(byLocal, 1.0);
            ulong features = 0;
            var n = tree.SplitFeatures.Count;
            var childCover = tree.LeafCovers[leaf];
            for (var parent = parents[n + leaf]; parent >= 0; parent = parents[parent])
            {
                var cover = tree.InternalCovers[parent];
                byLocal[local[parent]] *= cover > 0 ? childCover / cover : 0.5;
                features |= 1UL << local[parent];
                childCover = cover;
            }

            var zero = new double[BitOperations.PopCount(features)];
            var bits = features;
            for (var s = 0; s < zero.Length; s++)
            {
                zero[s] = byLocal[BitOperations.TrailingZeroCount(bits)];
                bits &= bits - 1;
            }

            return (features, zero);
        }

        /// <summary>Each node's parent (−1 for the root), internal nodes first, then leaves at <c>n + leaf</c>.</summary>
        private static int[] ParentsOf(RegressionTree tree)
        {
            var n = tree.SplitFeatures.Count;
            var parents = new int[n + tree.LeafCount];
            parents[0] = -1;
            for (var i = 0; i < n; i++)
            {
                foreach (var child in (ReadOnlySpan<int>)[tree.LeftChildren[i], tree.RightChildren[i]])
                {
                    parents[child >= 0 ? child : n + ~child] = i;
                }
            }

            return parents;
        }
    }
}
