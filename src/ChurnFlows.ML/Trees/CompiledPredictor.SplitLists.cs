using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ChurnFlows.ML.Trees;

/// <content>
/// The split lists, which blocks of rows run in the model's threshold domain (<see cref="ThresholdRanks"/>): per tree,
/// its splits level by level, each as the code column it reads, its rank, and the mask slots its two children's rows
/// go to. Slot <c>i</c> holds the rows at the list's split <c>i</c>, slot <c>splits + j</c> the rows at leaf <c>j</c>.
/// A tree costs the same per group of rows however deep it is, and its list is small (16 bytes a split), so the whole
/// model stays in cache.
/// </content>
public sealed partial class CompiledPredictor
{
    private static (SplitTree[] Trees, MaskSplit[] Splits) BuildSplitLists(GbdtModel model, ThresholdRanks ranks, int blockRows, int codeBytes, int[] leafStarts)
    {
        // The rank repeated in every code-wide lane of a word: one 32-bit broadcast fills a vector with it.
        var lanePattern = codeBytes == 1 ? 0x01010101u : 0x00010001u;
        var trees = new SplitTree[model.Trees.Count];
        List<MaskSplit> splits = [];
        for (var t = 0; t < trees.Length; t++)
        {
            var tree = model.Trees[t];
            var count = tree.SplitFeatures.Count;
            trees[t] = new SplitTree(splits.Count, count, tree.LeafCount, leafStarts[t]);
            var order = BreadthFirst(tree);
            var slotOf = new int[count];
            for (var i = 0; i < count; i++)
            {
                slotOf[order[i]] = i;
            }

            foreach (var node in order)
            {
                var (column, rank) = ranks.Split(tree.SplitFeatures[node], tree.Thresholds[node], tree.DefaultLeft[node]);
                splits.Add(new MaskSplit(
                    (uint)(column * blockRows * codeBytes), (uint)rank * lanePattern, Slot(tree.LeftChildren[node]), Slot(tree.RightChildren[node])));
            }

            uint Slot(int child) => (uint)((child >= 0 ? slotOf[child] : count + ~child) * Vector512<byte>.Count);
        }

        return (trees, [.. splits]);
    }

    /// <summary>
    /// The splits level by level: a split's rows are ready long before it runs, since its parent ran a level earlier, so
    /// consecutive splits do not wait on each other's masks (in node order, a leaf-wise tree's next split is often the
    /// child of the last).
    /// </summary>
    private static List<int> BreadthFirst(RegressionTree tree)
    {
        List<int> order = tree.SplitFeatures.Count == 0 ? [] : [0];
        for (var i = 0; i < order.Count; i++)
        {
            foreach (var child in (ReadOnlySpan<int>)[tree.LeftChildren[order[i]], tree.RightChildren[order[i]]])
            {
                if (child >= 0)
                {
                    order.Add(child);
                }
            }
        }

        return order;
    }

    /// <summary>Where a tree's splits start, how many splits and leaves it has, and where its leaves start in the shared leaf values.</summary>
    private readonly record struct SplitTree(int Start, int Splits, int Leaves, int LeafStart);

    /// <summary>
    /// A split in the code domain, offsets in bytes (unsigned, so loading them needs no sign extension): rows whose code
    /// at <c>CodeOffset</c> + row exceeds the rank (repeated in each lane of <c>Ranks</c>) go to slot <c>Right</c>,
    /// the others to slot <c>Left</c>.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct MaskSplit(uint codeOffset, uint ranks, uint left, uint right)
    {
        public readonly uint CodeOffset = codeOffset;
        public readonly uint Ranks = ranks;
        public readonly uint Left = left;
        public readonly uint Right = right;
    }
}
