using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace ChurnFlows.ML.Explain;

/// <summary>
/// Exact TreeSHAP from per-leaf path weight tables (the "Fast TreeSHAP v2" idea, Yang 2021), for the
/// trees of a model flattened into shared arrays. For each leaf with path features <c>U</c>
/// (<c>d = |U|</c>, features repeated on the path merged), zero fractions <c>z</c> (product of cover
/// fractions) and the set <c>A ⊆ U</c> of features the row agrees with on every split of the path,
/// the leaf adds <c>−v·P(A)</c> to each feature outside <c>A</c> and <c>v·(1−z_j)/z_j·P(A∖{j})</c>
/// to each <c>j ∈ A</c>, where <c>P(A) = Σ_{S⊆A} |S|!(d−|S|−1)!/d! · Π_{k∈U∖S} z_k</c>.
/// <c>v·P</c> is tabulated for all <c>2^d</c> subsets when the model is loaded, so explaining a row
/// costs one pass over the nodes and one over the leaves' path features, with no recursion. Leaves
/// with short paths (d ≤ 6, within a memory budget) store each pattern's whole contribution row, and
/// sibling leaves share one row, so most leaves cost one lookup and d additions.
/// </summary>
internal sealed partial class PathWeightTables
{
    private readonly Node[] _nodes;
    private readonly Leaf[] _leaves;
    private readonly Slot[] _slots;
    private readonly double[] _weights;
    private readonly TreeRange[] _trees;

    private PathWeightTables(Node[] nodes, Leaf[] leaves, Slot[] slots, double[] weights, TreeRange[] trees, int maskCapacity)
    {
        _nodes = nodes;
        _leaves = leaves;
        _slots = slots;
        _weights = weights;
        _trees = trees;
        MaskCapacity = maskCapacity;
    }

    /// <summary>Gets the number of trees held.</summary>
    public int TreeCount => _trees.Length;

    /// <summary>Gets the scratch length <see cref="AddContributions"/> needs (internal nodes plus leaves of the largest tree).</summary>
    public int MaskCapacity { get; }

    /// <summary>Adds every held tree's SHAP values for <paramref name="row"/> to <paramref name="phi"/>.</summary>
    /// <param name="row">The row (at least as long as the largest feature index + 1; checked by the caller).</param>
    /// <param name="phi">The per-feature accumulators.</param>
    /// <param name="masks">Scratch of at least <see cref="MaskCapacity"/> entries.</param>
    public void AddContributions(ReadOnlySpan<double> row, Span<double> phi, Span<ulong> masks)
    {
        if (masks.Length < MaskCapacity)
        {
            throw new ArgumentException($"The scratch holds {masks.Length} masks; {MaskCapacity} are needed.", nameof(masks));
        }

        ref var x = ref MemoryMarshal.GetReference(row);
        ref var m = ref MemoryMarshal.GetReference(masks);
        ref var p = ref MemoryMarshal.GetReference(phi);
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref var leaves = ref MemoryMarshal.GetArrayDataReference(_leaves);
        ref var slots = ref MemoryMarshal.GetArrayDataReference(_slots);
        ref var weights = ref MemoryMarshal.GetArrayDataReference(_weights);
        foreach (var tree in _trees)
        {
            // Pass 1 (nodes in index order, parents first): each child's mask marks the path features the row disagrees with.
            m = 0;
            ref var treeNodes = ref Unsafe.Add(ref nodes, tree.NodeStart);
            for (var i = 0; i < tree.NodeCount; i++)
            {
                ref readonly var node = ref Unsafe.Add(ref treeNodes, i);
                var value = Unsafe.Add(ref x, node.Feature);

                // Branch-free on purpose: the direction is data-dependent and would mispredict half the time.
                var goLeft = (value <= node.Threshold ? 1 : 0) | (double.IsNaN(value) ? node.DefaultLeftFlag : 0);
                var parent = Unsafe.Add(ref m, i);
                var rightDisagrees = node.Bit & (ulong)-goLeft;
                Unsafe.Add(ref m, node.Left) = parent | (node.Bit ^ rightDisagrees);
                Unsafe.Add(ref m, node.Right) = parent | rightDisagrees;
            }

            // Pass 2: each leaf's agreement pattern picks its row of contributions (short paths) or indexes its
            // weight table. Leaves are sorted by path length, so inner trip counts change only a few times per tree.
            ref var treeLeaves = ref Unsafe.Add(ref leaves, tree.LeafStart);
            for (var k = 0; k < tree.PairCount; k++)
            {
                ref readonly var pair = ref Unsafe.Add(ref treeLeaves, k);
                var agree = (nint)Extract(pair.Features & ~Unsafe.Add(ref m, pair.MaskIndex), pair.Features);
                var rightAgrees = (nint)(~Unsafe.Add(ref m, pair.PairMaskIndex) >> pair.PairBit) & 1;
                var count = (nint)pair.SlotCount;
                ref var contributions = ref Unsafe.Add(ref weights, pair.TableOffset + (((2 * agree) + rightAgrees) * count));
                ref var slot = ref Unsafe.Add(ref slots, pair.SlotStart);
                for (nint s = 0; s < count; s++)
                {
                    Unsafe.Add(ref p, Unsafe.Add(ref slot, s).Feature) += Unsafe.Add(ref contributions, s);
                }
            }

            treeLeaves = ref Unsafe.Add(ref treeLeaves, tree.PairCount);
            for (var k = 0; k < tree.VectorLeafCount; k++)
            {
                ref readonly var leaf = ref Unsafe.Add(ref treeLeaves, k);
                var agree = (nint)Extract(leaf.Features & ~Unsafe.Add(ref m, leaf.MaskIndex), leaf.Features);
                var count = (nint)leaf.SlotCount;
                ref var contributions = ref Unsafe.Add(ref weights, leaf.TableOffset + (agree * count));
                ref var slot = ref Unsafe.Add(ref slots, leaf.SlotStart);
                for (nint s = 0; s < count; s++)
                {
                    Unsafe.Add(ref p, Unsafe.Add(ref slot, s).Feature) += Unsafe.Add(ref contributions, s);
                }
            }

            treeLeaves = ref Unsafe.Add(ref treeLeaves, tree.VectorLeafCount);
            for (var k = 0; k < tree.WeightLeafCount; k++)
            {
                ref readonly var leaf = ref Unsafe.Add(ref treeLeaves, k);
                var agree = (nuint)Extract(leaf.Features & ~Unsafe.Add(ref m, leaf.MaskIndex), leaf.Features);
                ref var table = ref Unsafe.Add(ref weights, leaf.TableOffset);
                ref var slot = ref Unsafe.Add(ref slots, leaf.SlotStart);
                for (nint s = 0; s < leaf.SlotCount; s++)
                {
                    ref readonly var current = ref Unsafe.Add(ref slot, s);
                    var has = (nint)(agree >> (int)s) & 1;
                    var weight = Unsafe.Add(ref table, (nint)(agree & ~((nuint)1 << (int)s)));
                    Unsafe.Add(ref p, current.Feature) += Unsafe.Add(ref Unsafe.AsRef(in current.Minus), has) * weight;
                }
            }
        }
    }

    /// <summary>Packs the bits of <paramref name="value"/> selected by <paramref name="mask"/> into the low bits (BMI2 PEXT).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Extract(ulong value, ulong mask)
    {
        if (Bmi2.X64.IsSupported)
        {
            return (uint)Bmi2.X64.ParallelBitExtract(value, mask);
        }

        uint result = 0;
        for (var k = 0; mask != 0; k++)
        {
            var lowest = mask & (~mask + 1);
            result |= (value & lowest) != 0 ? 1u << k : 0;
            mask &= mask - 1;
        }

        return result;
    }

    /// <summary>An internal node: its split, its tree-local feature bit, and where its children's masks go.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Node(double Threshold, ulong Bit, int Feature, int Left, int Right, int DefaultLeftFlag);

    /// <summary>
    /// A leaf (or a pair of sibling leaves): its path features (tree-local bits), where its mask is, its slots and its
    /// table; for a pair, also where the right leaf's mask is and the split feature's tree-local bit.
    /// </summary>
    private readonly record struct Leaf(ulong Features, int MaskIndex, int TableOffset, int SlotStart, int SlotCount, int PairMaskIndex, int PairBit);

    /// <summary>
    /// One distinct feature on a leaf's path. <see cref="Minus"/> (−1) and <see cref="Ratio"/> ((1−z)/z) are adjacent, so the
    /// row's agreement bit (0 or 1) picks the coefficient by offset: −1 applies −v·P(A), the ratio applies v·P(A∖{j}).
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct Slot(double minus, double ratio, nint feature)
    {
        public readonly double Minus = minus;
        public readonly double Ratio = ratio;
        public readonly nint Feature = feature;
    }

    /// <summary>A tree's node and leaf ranges: sibling pairs first, then single leaves with contribution vectors, then leaves with plain weights.</summary>
    private readonly record struct TreeRange(int NodeStart, int NodeCount, int LeafStart, int PairCount, int VectorLeafCount, int WeightLeafCount);
}
