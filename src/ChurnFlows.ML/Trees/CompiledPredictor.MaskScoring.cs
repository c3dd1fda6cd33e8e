using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ChurnFlows.ML.Trees;

/// <content>
/// Batch scoring over the split lists, a vector of rows at a time (64 with byte codes, 32 with 16-bit codes). A block's
/// codes sit column-major (column <c>c</c>, row <c>r</c> at <c>c × blockRows + r</c>), so one load brings a split's
/// codes for the whole group; the compare gives the rows that go right, and masks carry each split's rows down to the
/// leaves. No row branches: every split of a tree costs the same few vector operations per group.
/// </content>
public sealed partial class CompiledPredictor
{
    /// <summary>
    /// Adds every tree's leaf value, tree after tree, to <paramref name="scores"/> (one per row of the block, in whole
    /// groups; rows past the block's own are scored from whatever codes they hold and dropped).
    /// </summary>
    /// <param name="codes">The block's codes, 64-byte aligned.</param>
    /// <param name="scores">The rows' scores so far.</param>
    /// <param name="masks">Room for the largest tree's slots, one vector each, 64-byte aligned.</param>
    /// <param name="leafIndex">Room for one vector.</param>
    private void ScoreGroups<T>(Span<T> codes, Span<double> scores, Span<Vector512<T>> masks, Span<T> leafIndex)
        where T : unmanaged, IBinaryInteger<T>
    {
        var lanes = Vector512<T>.Count;
        ref var slots = ref MemoryMarshal.GetReference(masks);
        ref var leafValues = ref MemoryMarshal.GetArrayDataReference(_leafValues);
        ref var splitBase = ref MemoryMarshal.GetArrayDataReference(_splits);
        ref var index = ref MemoryMarshal.GetReference(leafIndex);
        ref var codeBase = ref MemoryMarshal.GetReference(codes);
        foreach (var tree in _splitTrees)
        {
            ref var splits = ref Unsafe.Add(ref splitBase, tree.Start);
            ref var leaves = ref Unsafe.Add(ref leafValues, tree.LeafStart);
            for (var g = 0; g < scores.Length; g += lanes)
            {
                // Not codes[g]: a model without splits has no code columns, and then no split reads through this.
                ref var group = ref Unsafe.Add(ref codeBase, g);
                slots = Vector512<T>.AllBitsSet;
                for (var i = 0; i < tree.Splits; i++)
                {
                    ref readonly var split = ref Unsafe.Add(ref splits, i);
                    var rows = Unsafe.Add(ref slots, i);
                    var right = Vector512.GreaterThan(Vector512.LoadUnsafe(ref group, (nuint)split.CodeOffset), Vector512.Create(T.CreateTruncating(split.Rank)));
                    Unsafe.Add(ref slots, split.Left) = Vector512.AndNot(rows, right);
                    Unsafe.Add(ref slots, split.Right) = rows & right;
                }

                // The leaves' rows are disjoint: each row's leaf number is the OR of its leaf's number over the leaves.
                var leaf = Vector512<T>.Zero;
                for (var j = 1; j < tree.Leaves; j++)
                {
                    leaf |= Unsafe.Add(ref slots, tree.Splits + j) & Vector512.Create(T.CreateTruncating(j));
                }

                leaf.StoreUnsafe(ref index);
                ref var score = ref scores[g];
                for (var k = 0; k < lanes; k++)
                {
                    Unsafe.Add(ref score, k) += Unsafe.Add(ref leaves, int.CreateTruncating(Unsafe.Add(ref index, k)));
                }
            }
        }
    }
}
