using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ChurnFlows.ML.Data;

namespace ChurnFlows.ML.Trees;

/// <summary>
/// A <see cref="GbdtModel"/> flattened for fast scoring: every tree as compact node arrays (one row walks these,
/// where branch prediction lets the next levels' loads start early), and trees of depth ≤ 10 also stored complete,
/// so a block of rows takes the same number of branch-free steps, eight rows at a time. Scoring one row allocates nothing;
/// batch scoring copies blocks of rows to a pooled row-major buffer and, per block, walks tree by tree over
/// the block's rows (the tree stays in cache), blocks in parallel. Thread-safe.
/// </summary>
public sealed partial class CompiledPredictor
{
    private const int BlockRows = 128;
    private readonly TreeEntry[] _trees;
    private readonly CompleteNode[] _complete;
    private readonly double[] _completeLeaves;
    private readonly Node[] _nodes;
    private readonly double[] _leafValues;
    private readonly double _initScore;

    internal CompiledPredictor(GbdtModel model)
    {
        FeatureCount = model.FeatureNames.Count;
        _initScore = model.InitScore;
        (_trees, _complete, _completeLeaves, _nodes, _leafValues) = Flatten(model);
    }

    /// <summary>Gets the number of features a row must have.</summary>
    public int FeatureCount { get; }

    /// <summary>Returns the raw score (log-odds) of one row.</summary>
    /// <exception cref="ArgumentException">The row has fewer values than <see cref="FeatureCount"/>.</exception>
    public double PredictRaw(ReadOnlySpan<double> row)
    {
        if (row.Length < FeatureCount)
        {
            throw new ArgumentException($"The row has {row.Length} values; the model needs {FeatureCount}.", nameof(row));
        }

        var sum = _initScore;
        ref var x = ref MemoryMarshal.GetReference(row);
        foreach (var tree in _trees)
        {
            sum += _leafValues[~Walk(tree.Root, ref x)];
        }

        return sum;
    }

    /// <summary>Returns the probability of the positive class for one row.</summary>
    public double PredictProbability(ReadOnlySpan<double> row) => GbdtModel.Sigmoid(PredictRaw(row));

    /// <summary>Scores every row of <paramref name="features"/> into <paramref name="destination"/> as raw scores, in parallel.</summary>
    /// <param name="features">Rows to score; its columns must be the model's features, in order.</param>
    /// <param name="destination">Receives one raw score per row.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; null or −1 for all cores.</param>
    /// <exception cref="ArgumentException">The column count or destination length is wrong.</exception>
    public void PredictRaw(FeatureMatrix features, Memory<double> destination, int? maxDegreeOfParallelism = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.ColumnCount != FeatureCount)
        {
            throw new ArgumentException($"The matrix has {features.ColumnCount} columns; the model needs {FeatureCount}.", nameof(features));
        }

        if (destination.Length < features.RowCount)
        {
            throw new ArgumentException($"The destination holds {destination.Length} scores; {features.RowCount} are needed.", nameof(destination));
        }

        var blocks = (features.RowCount + BlockRows - 1) / BlockRows;
        var threads = maxDegreeOfParallelism is null or -1 ? Environment.ProcessorCount : maxDegreeOfParallelism.Value;

        // Contiguous ranges of blocks per worker: fewer, larger work items than one per block.
        var workers = Math.Max(1, Math.Min(threads, blocks));
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
        {
            var buffer = ArrayPool<double>.Shared.Rent(BlockRows * Math.Max(1, FeatureCount));
            for (var block = worker * blocks / workers; block < (worker + 1) * blocks / workers; block++)
            {
                var start = block * BlockRows;
                var count = Math.Min(BlockRows, features.RowCount - start);
                ScoreBlock(features, start, count, buffer, destination.Span.Slice(start, count));
            }

            ArrayPool<double>.Shared.Return(buffer);
        });
    }

    /// <summary>Scores every row of <paramref name="features"/> into <paramref name="destination"/> as probabilities, in parallel.</summary>
    public void PredictProbabilities(FeatureMatrix features, Memory<double> destination, int? maxDegreeOfParallelism = null)
    {
        PredictRaw(features, destination, maxDegreeOfParallelism);
        var span = destination.Span[..features.RowCount];
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = GbdtModel.Sigmoid(span[i]);
        }
    }

    private void ScoreBlock(FeatureMatrix features, int start, int count, double[] buffer, Span<double> scores)
    {
        var width = FeatureCount;
        for (var f = 0; f < width; f++)
        {
            var column = features.Column(f).Slice(start, count);
            for (var r = 0; r < count; r++)
            {
                buffer[(r * width) + f] = column[r];
            }
        }

        scores.Fill(_initScore);
        ref var rows = ref MemoryMarshal.GetArrayDataReference(buffer);
        ref var score = ref MemoryMarshal.GetReference(scores);
        foreach (var tree in _trees)
        {
            if (tree.Depth < 0)
            {
                for (var r = 0; r < count; r++)
                {
                    Unsafe.Add(ref score, r) += _leafValues[~Walk(tree.Root, ref Unsafe.Add(ref rows, r * width))];
                }

                continue;
            }

            // Eight rows at a time: eight independent walks in one loop body keep the core busy while each waits on its loads.
            ref var nodes = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_complete), tree.NodeStart);
            ref var leaves = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_completeLeaves), tree.LeafStart - ((1 << tree.Depth) - 1));
            var r4 = 0;
            for (; r4 + 8 <= count; r4 += 8)
            {
                ref var x0 = ref Unsafe.Add(ref rows, r4 * width);
                nint s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
                for (var level = 0; level < tree.Depth; level++)
                {
                    s0 = Step(ref nodes, s0, ref x0);
                    s1 = Step(ref nodes, s1, ref Unsafe.Add(ref x0, width));
                    s2 = Step(ref nodes, s2, ref Unsafe.Add(ref x0, 2 * width));
                    s3 = Step(ref nodes, s3, ref Unsafe.Add(ref x0, 3 * width));
                    s4 = Step(ref nodes, s4, ref Unsafe.Add(ref x0, 4 * width));
                    s5 = Step(ref nodes, s5, ref Unsafe.Add(ref x0, 5 * width));
                    s6 = Step(ref nodes, s6, ref Unsafe.Add(ref x0, 6 * width));
                    s7 = Step(ref nodes, s7, ref Unsafe.Add(ref x0, 7 * width));
                }

                ref var at = ref Unsafe.Add(ref score, r4);
                at += Unsafe.Add(ref leaves, s0);
                Unsafe.Add(ref at, 1) += Unsafe.Add(ref leaves, s1);
                Unsafe.Add(ref at, 2) += Unsafe.Add(ref leaves, s2);
                Unsafe.Add(ref at, 3) += Unsafe.Add(ref leaves, s3);
                Unsafe.Add(ref at, 4) += Unsafe.Add(ref leaves, s4);
                Unsafe.Add(ref at, 5) += Unsafe.Add(ref leaves, s5);
                Unsafe.Add(ref at, 6) += Unsafe.Add(ref leaves, s6);
                Unsafe.Add(ref at, 7) += Unsafe.Add(ref leaves, s7);
            }

            for (var r = r4; r < count; r++)
            {
                Unsafe.Add(ref score, r) += WalkComplete(tree, ref Unsafe.Add(ref rows, r * width));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double WalkComplete(TreeEntry tree, ref double row)
    {
        ref var nodes = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_complete), tree.NodeStart);
        nint slot = 0;
        for (var level = 0; level < tree.Depth; level++)
        {
            slot = Step(ref nodes, slot, ref row);
        }

        return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_completeLeaves), tree.LeafStart + slot - ((1 << tree.Depth) - 1));
    }

    /// <summary>One level of a complete tree: heap slot → child slot, branch-free.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint Step(ref CompleteNode nodes, nint slot, ref double row)
    {
        ref readonly var n = ref Unsafe.Add(ref nodes, slot);
        var x = Unsafe.Add(ref row, n.Feature);

        // Not (x ≤ t) goes right; a missing x fails both comparisons and goes right only when missing does not go left.
        var above = x > n.Threshold ? 1 : 0;
        var below = x <= n.Threshold ? 1 : 0;
        return (2 * slot) + 1 + ((below ^ 1) & (above | n.MissingRight));
    }

    private int Walk(int node, ref double row)
    {
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        while (node >= 0)
        {
            ref readonly var n = ref Unsafe.Add(ref nodes, node);
            var x = Unsafe.Add(ref row, n.Feature);
            var goLeft = (x <= n.Threshold) | (double.IsNaN(x) & n.DefaultLeft);
            node = goLeft ? n.Left : n.Right;
        }

        return node;
    }
}
