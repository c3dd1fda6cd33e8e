using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ChurnFlows.ML.Trees;

/// <content>
/// The split lists, which blocks of rows run in the model's threshold domain (<see cref="ThresholdRanks"/>): per tree,
/// its splits in node order (a parent before its children), each as the code column it reads, its rank, and the mask
/// slots its two children's rows go to. Slot <c>i</c> holds the rows at split <c>i</c>, slot <c>splits + j</c> the
/// rows at leaf <c>j</c>. A tree costs the same per group of rows however deep it is, and its list is small
/// (16 bytes a split), so the whole model stays in cache.
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
            for (var i = 0; i < count; i++)
            {
                var (column, rank) = ranks.Split(tree.SplitFeatures[i], tree.Thresholds[i], tree.DefaultLeft[i]);
                splits.Add(new MaskSplit(
                    (uint)(column * blockRows * codeBytes), (uint)rank * lanePattern, Slot(tree.LeftChildren[i], count), Slot(tree.RightChildren[i], count)));
            }
        }

        return (trees, [.. splits]);
    }

    /// <summary>A child's mask slot, as a byte offset: a split's own index, or a leaf's after all the splits.</summary>
    private static uint Slot(int child, int splits) => (uint)((child >= 0 ? child : splits + ~child) * Vector512<byte>.Count);

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
