using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ChurnFlows.ML.Trees;

/// <content>
/// The compact layout and its walk, for one row: every tree's nodes with raw thresholds (no encoding to pay for one
/// row), children relocated into shared node and leaf arrays.
/// </content>
public sealed partial class CompiledPredictor
{
    private static (int[] Roots, int[] LeafStarts, Node[] Nodes, double[] Leaves) FlattenCompact(GbdtModel model)
    {
        var roots = new int[model.Trees.Count];
        var leafStarts = new int[roots.Length];
        List<Node> nodes = [];
        List<double> leaves = [];
        for (var t = 0; t < roots.Length; t++)
        {
            var tree = model.Trees[t];
            int nodeBase = nodes.Count, leafBase = leaves.Count;
            for (var i = 0; i < tree.SplitFeatures.Count; i++)
            {
                nodes.Add(new Node(
                    tree.Thresholds[i], tree.SplitFeatures[i], Relocate(tree.LeftChildren[i], nodeBase, leafBase),
                    Relocate(tree.RightChildren[i], nodeBase, leafBase), tree.DefaultLeft[i]));
            }

            leaves.AddRange(tree.LeafValues);
            roots[t] = tree.SplitFeatures.Count == 0 ? ~leafBase : nodeBase;
            leafStarts[t] = leafBase;
        }

        // Room past the last tree's leaves: batch scoring reads leaf values in whole tables of 16.
        leaves.AddRange(new double[LookupLeaves]);
        return (roots, leafStarts, [.. nodes], [.. leaves]);
    }

    /// <summary>A child as a shared index: a node (≥ 0) moves by <paramref name="nodeBase"/>, a leaf <c>~c</c> by <paramref name="leafBase"/>.</summary>
    private static int Relocate(int child, int nodeBase, int leafBase) => child >= 0 ? child + nodeBase : ~(~child + leafBase);

    /// <summary>Walks four trees to their leaves together; a walk that has reached its leaf reads node 0 and keeps its leaf.</summary>
    private (int A, int B, int C, int D) WalkFour(int a, int b, int c, int d, ref double row)
    {
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        while ((a & b & c & d) >= 0)
        {
            a = Advance(ref nodes, a, ref row);
            b = Advance(ref nodes, b, ref row);
            c = Advance(ref nodes, c, ref row);
            d = Advance(ref nodes, d, ref row);
        }

        return (a, b, c, d);
    }

    /// <summary>One level down from <paramref name="node"/>, or the leaf <paramref name="node"/> itself, without a branch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Advance(ref Node nodes, int node, ref double row)
    {
        var done = node >> 31;
        return (Step(ref Unsafe.Add(ref nodes, node & ~done), ref row) & ~done) | (node & done);
    }

    /// <summary>A node's child for the row: left when <c>x ≤ threshold</c>, or when x is missing and missing values go left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Step(ref readonly Node n, ref double row)
    {
        var x = Unsafe.Add(ref row, n.Feature);
        var right = -(Unsafe.BitCast<bool, byte>((x <= n.Threshold) | (double.IsNaN(x) & n.DefaultLeft)) ^ 1);
        return n.Left ^ ((n.Left ^ n.Right) & right);
    }

    private int Walk(int node, ref double row)
    {
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        while (node >= 0)
        {
            node = Step(ref Unsafe.Add(ref nodes, node), ref row);
        }

        return node;
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly struct Node(double threshold, int feature, int left, int right, bool defaultLeft)
    {
        public readonly double Threshold = threshold;
        public readonly int Feature = feature;
        public readonly int Left = left;
        public readonly int Right = right;
        public readonly bool DefaultLeft = defaultLeft;
    }
}
