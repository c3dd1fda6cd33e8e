using System.Runtime.InteropServices;

namespace ChurnFlows.ML.Trees;

/// <content>
/// The flattened layout. A tree of depth ≤ <see cref="MaxCompleteDepth"/> is stored complete (heap order: node
/// <c>i</c> has children <c>2i+1</c>, <c>2i+2</c>), a leaf above the bottom padded with splits whose every
/// descendant leaf holds its value, so a row always takes exactly <c>depth</c> steps: no data-dependent loop exit
/// to mispredict. Deeper trees keep their own node order and are walked until a leaf.
/// </content>
public sealed partial class CompiledPredictor
{
    /// <summary>The deepest tree stored complete (2^depth leaf slots).</summary>
    internal const int MaxCompleteDepth = 10;

    private static (TreeEntry[] Trees, CompleteNode[] Complete, double[] CompleteLeaves, Node[] Nodes, double[] Leaves) Flatten(GbdtModel model)
    {
        var trees = new TreeEntry[model.Trees.Count];
        List<CompleteNode> complete = [];
        List<double> completeLeaves = [];
        List<Node> nodes = [];
        List<double> leaves = [];
        for (var t = 0; t < trees.Length; t++)
        {
            // Every tree gets the compact layout (one row: early exits and branch prediction suit it); shallow
            // trees also get the complete layout for blocks of rows.
            var tree = model.Trees[t];
            int nodeBase = nodes.Count, leafBase = leaves.Count;
            for (var i = 0; i < tree.SplitFeatures.Count; i++)
            {
                nodes.Add(new Node(
                    tree.Thresholds[i], tree.SplitFeatures[i], Relocate(tree.LeftChildren[i], nodeBase, leafBase),
                    Relocate(tree.RightChildren[i], nodeBase, leafBase), tree.DefaultLeft[i]));
            }

            leaves.AddRange(tree.LeafValues);
            var root = tree.SplitFeatures.Count == 0 ? ~leafBase : nodeBase;
            var depth = tree.ComputeDepth();
            if (depth > MaxCompleteDepth)
            {
                trees[t] = new TreeEntry(-1, 0, 0, root);
                continue;
            }

            trees[t] = new TreeEntry(depth, complete.Count, completeLeaves.Count, root);
            AddComplete(tree, depth, complete, completeLeaves);
        }

        return (trees, [.. complete], [.. completeLeaves], [.. nodes], [.. leaves]);
    }

    private static void AddComplete(RegressionTree tree, int depth, List<CompleteNode> nodes, List<double> leaves)
    {
        var nodeBase = nodes.Count;
        var leafBase = leaves.Count;
        var slots = (1 << depth) - 1;
        for (var i = 0; i < slots; i++)
        {
            nodes.Add(new CompleteNode(0, 0, 0));
        }

        for (var i = 0; i <= slots; i++)
        {
            leaves.Add(0);
        }

        Place(tree.SplitFeatures.Count == 0 ? ~0 : 0, 0, 0);

        // Puts the original node (or leaf, when < 0) at heap slot `slot` of level `level`.
        void Place(int original, int slot, int level)
        {
            if (original < 0)
            {
                // A leaf at `level` covers the 2^(depth-level) bottom slots beneath it; padding splits above them stay (0, 0).
                var first = ((slot + 1) << (depth - level)) - 1 - slots;
                for (var k = 0; k < 1 << (depth - level); k++)
                {
                    leaves[leafBase + first + k] = tree.LeafValues[~original];
                }

                return;
            }

            nodes[nodeBase + slot] = new CompleteNode(tree.Thresholds[original], tree.SplitFeatures[original], tree.DefaultLeft[original] ? 0 : 1);
            Place(tree.LeftChildren[original], (2 * slot) + 1, level + 1);
            Place(tree.RightChildren[original], (2 * slot) + 2, level + 1);
        }
    }

    private static int Relocate(int child, int nodeBase, int leafBase) => child >= 0 ? child + nodeBase : ~(~child + leafBase);

    /// <summary>
    /// Where a tree lives: its root in the compact layout (a node, or <c>~leaf</c> for a single leaf), and, when
    /// <c>Depth</c> ≥ 0, its complete layout (heap nodes from <c>NodeStart</c>, leaves from <c>LeafStart</c>).
    /// </summary>
    private readonly record struct TreeEntry(int Depth, int NodeStart, int LeafStart, int Root);

    /// <summary>A split of a complete tree; padding splits are (0, feature 0) and lead to equal leaves either way.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct CompleteNode(double threshold, int feature, int missingRight)
    {
        public readonly double Threshold = threshold;
        public readonly int Feature = feature;
        public readonly int MissingRight = missingRight;
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
