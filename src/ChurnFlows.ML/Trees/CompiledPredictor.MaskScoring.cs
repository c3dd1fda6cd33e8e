using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ChurnFlows.ML.Trees;

/// <content>
/// Batch scoring over the split lists, a group of rows at a time: four vectors (256 rows of byte codes, 128 of 16-bit
/// codes), or one for a block's last rows. A block's codes sit column-major (column <c>c</c>, row <c>r</c> at
/// <c>c × blockRows + r</c>), so one load brings a split's codes for a vector of rows; the compare gives the rows that
/// go right, and masks (one lane per row) carry each split's rows down to the leaves. The leaves' masks then give each
/// row its leaf's number, and its value is added, in tree order. No branch on the data: every split costs the same
/// few vector operations per group.
/// </content>
public sealed partial class CompiledPredictor
{
    /// <summary>Vectors of rows a split handles at once in a wide group.</summary>
    private const int WideVectors = 4;

    /// <summary>Leaf values one table lookup covers (two vectors of doubles).</summary>
    private const int LookupLeaves = 16;

    /// <summary>The most lookups per eight rows before adding leaf values row by row is as quick.</summary>
    private const int MaxLookups = 8;

    /// <summary>
    /// Adds every tree's leaf value, tree after tree, to <paramref name="scores"/> (one per row, in whole groups; rows
    /// past the block's own are scored from whatever codes they hold and dropped).
    /// </summary>
    /// <param name="codes">The codes from the first row of the groups, 64-byte aligned.</param>
    /// <param name="scores">The rows' scores so far.</param>
    /// <param name="masks">Room for the largest tree's slots, one group each, 64-byte aligned.</param>
    /// <param name="leafIndex">Room for one group.</param>
    /// <typeparam name="T">The code width.</typeparam>
    /// <typeparam name="TWidth">The vectors of rows in a group.</typeparam>
    private void ScoreGroups<T, TWidth>(ref T codes, Span<double> scores, Span<Vector512<T>> masks, Span<T> leafIndex)
        where T : unmanaged, IBinaryInteger<T>
        where TWidth : struct, IGroupWidth
    {
        var lanes = Vector512<T>.Count;
        var wide = TWidth.Vectors == WideVectors;
        ref var slots = ref MemoryMarshal.GetReference(masks);
        ref var leafValues = ref MemoryMarshal.GetArrayDataReference(_leafValues);
        ref var splitBase = ref MemoryMarshal.GetArrayDataReference(_splits);
        ref var index = ref MemoryMarshal.GetReference(leafIndex);
        var one = Vector512.Create(T.One);
        foreach (var tree in _splitTrees)
        {
            ref var first = ref Unsafe.Add(ref splitBase, tree.Start);
            ref var end = ref Unsafe.Add(ref first, tree.Splits);
            ref var leaves = ref Unsafe.Add(ref leafValues, tree.LeafStart);
            ref var firstLeaf = ref Unsafe.Add(ref slots, tree.Splits * TWidth.Vectors);
            ref var endLeaf = ref Unsafe.Add(ref firstLeaf, tree.Leaves * TWidth.Vectors);
            for (var g = 0; g < scores.Length; g += lanes * TWidth.Vectors)
            {
                ref var group = ref Unsafe.As<T, byte>(ref Unsafe.Add(ref codes, g));
                for (var v = 0; v < TWidth.Vectors; v++)
                {
                    Unsafe.Add(ref slots, v) = Vector512<T>.AllBitsSet;
                }

                ref var rows = ref slots;
                for (ref var split = ref first; Unsafe.IsAddressLessThan(ref split, ref end); split = ref Unsafe.Add(ref split, 1))
                {
                    ref var codesAt = ref Unsafe.As<byte, T>(ref Unsafe.AddByteOffset(ref group, split.CodeOffset));
                    ref var left = ref SlotAt(ref slots, split.Left * (nuint)TWidth.Vectors);
                    ref var right = ref SlotAt(ref slots, split.Right * (nuint)TWidth.Vectors);
                    var rank = Vector512.Create(split.Ranks).As<uint, T>();
                    var above0 = Vector512.GreaterThan(Vector512.LoadUnsafe(ref codesAt), rank);
                    var rows0 = rows;
                    left = Vector512.AndNot(rows0, above0);
                    right = rows0 & above0;
                    if (wide)
                    {
                        // Four vectors of rows at once: independent chains, and the loop's own work shared.
                        var above1 = Vector512.GreaterThan(Vector512.LoadUnsafe(ref codesAt, (nuint)lanes), rank);
                        var above2 = Vector512.GreaterThan(Vector512.LoadUnsafe(ref codesAt, (nuint)(2 * lanes)), rank);
                        var above3 = Vector512.GreaterThan(Vector512.LoadUnsafe(ref codesAt, (nuint)(3 * lanes)), rank);
                        var rows1 = Unsafe.Add(ref rows, 1);
                        var rows2 = Unsafe.Add(ref rows, 2);
                        var rows3 = Unsafe.Add(ref rows, 3);
                        Unsafe.Add(ref left, 1) = Vector512.AndNot(rows1, above1);
                        Unsafe.Add(ref left, 2) = Vector512.AndNot(rows2, above2);
                        Unsafe.Add(ref left, 3) = Vector512.AndNot(rows3, above3);
                        Unsafe.Add(ref right, 1) = rows1 & above1;
                        Unsafe.Add(ref right, 2) = rows2 & above2;
                        Unsafe.Add(ref right, 3) = rows3 & above3;
                    }

                    rows = ref Unsafe.Add(ref rows, TWidth.Vectors);
                }

                // The leaves' rows are disjoint: each row's leaf number is the OR of its leaf's number over the leaves.
                Vector512<T> leaf0 = default, leaf1 = default, leaf2 = default, leaf3 = default, number = default;
                for (ref var leafRows = ref firstLeaf; Unsafe.IsAddressLessThan(ref leafRows, ref endLeaf); leafRows = ref Unsafe.Add(ref leafRows, TWidth.Vectors))
                {
                    leaf0 |= leafRows & number;
                    if (wide)
                    {
                        leaf1 |= Unsafe.Add(ref leafRows, 1) & number;
                        leaf2 |= Unsafe.Add(ref leafRows, 2) & number;
                        leaf3 |= Unsafe.Add(ref leafRows, 3) & number;
                    }

                    number += one;
                }

                leaf0.StoreUnsafe(ref index);
                if (wide)
                {
                    leaf1.StoreUnsafe(ref index, (nuint)lanes);
                    leaf2.StoreUnsafe(ref index, (nuint)(2 * lanes));
                    leaf3.StoreUnsafe(ref index, (nuint)(3 * lanes));
                }

                AddLeaves(ref scores[g], ref index, ref leaves, lanes * TWidth.Vectors, tree.Leaves);
            }
        }
    }

    /// <summary>Adds each row's leaf value: eight rows at a time by table lookups (16 leaves a lookup) where AVX-512 has them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddLeaves<T>(ref double score, ref T index, ref double leaves, int rows, int leafCount)
        where T : unmanaged, IBinaryInteger<T>
    {
        var tables = (leafCount + LookupLeaves - 1) / LookupLeaves;
        if (!Avx512F.IsSupported || tables > MaxLookups)
        {
            for (var k = 0; k < rows; k++)
            {
                Unsafe.Add(ref score, k) += Unsafe.Add(ref leaves, uint.CreateTruncating(Unsafe.Add(ref index, k)));
            }

            return;
        }

        for (var k = 0; k < rows; k += Vector512<double>.Count)
        {
            var leaf = typeof(T) == typeof(byte)
                ? Avx512F.ConvertToVector512Int64(Vector128.LoadUnsafe(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref index, k))))
                : Avx512F.ConvertToVector512Int64(Vector128.LoadUnsafe(ref Unsafe.As<T, ushort>(ref Unsafe.Add(ref index, k))));

            // A lookup reads the low four bits of each index; the higher bits pick which lookup's value to keep.
            ref var table = ref leaves;
            var value = Avx512F.PermuteVar8x64x2(Vector512.LoadUnsafe(ref table), leaf, Vector512.LoadUnsafe(ref table, 8));
            var first = Vector512.Create((long)LookupLeaves);
            for (var t = 1; t < tables; t++)
            {
                table = ref Unsafe.Add(ref table, LookupLeaves);
                var found = Avx512F.PermuteVar8x64x2(Vector512.LoadUnsafe(ref table), leaf, Vector512.LoadUnsafe(ref table, 8));
                value = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(leaf, first).AsDouble(), found, value);
                first += Vector512.Create((long)LookupLeaves);
            }

            (Vector512.LoadUnsafe(ref score, (nuint)k) + value).StoreUnsafe(ref score, (nuint)k);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref Vector512<T> SlotAt<T>(ref Vector512<T> slots, nuint offset) =>
        ref Unsafe.As<byte, Vector512<T>>(ref Unsafe.AddByteOffset(ref Unsafe.As<Vector512<T>, byte>(ref slots), offset));

    /// <summary>The vectors of rows in a group, as a type: the JIT compiles the kernel once per width, without the other's code.</summary>
    private interface IGroupWidth
    {
        static abstract int Vectors { get; }
    }

    /// <summary>64 rows of byte codes (32 of 16-bit codes): for the last rows of a block.</summary>
    private readonly struct OneVector : IGroupWidth
    {
        public static int Vectors => 1;
    }

    /// <summary>256 rows of byte codes (128 of 16-bit codes).</summary>
    private readonly struct FourVectors : IGroupWidth
    {
        public static int Vectors => WideVectors;
    }
}
