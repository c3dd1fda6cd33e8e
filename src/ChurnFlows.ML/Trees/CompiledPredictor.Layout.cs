using System.Runtime.InteropServices;

namespace ChurnFlows.ML.Trees;

/// <content>
/// The compact layout, which one row walks until a leaf (early exits and branch prediction suit one row): every tree's
/// nodes with raw thresholds, children relocated into shared node and leaf arrays.
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
