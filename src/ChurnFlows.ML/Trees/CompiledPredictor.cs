using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ChurnFlows.ML.Data;

namespace ChurnFlows.ML.Trees;

/// <summary>
/// A <see cref="GbdtModel"/> flattened for fast scoring: every tree's nodes in one array of small
/// structs, every leaf value in another. Scoring one row allocates nothing; batch scoring runs row
/// blocks in parallel (rows copied to a pooled row-major buffer, trees walked tree by tree).
/// Thread-safe.
/// </summary>
public sealed class CompiledPredictor
{
    private const int BlockRows = 256;
    private readonly Node[] _nodes;
    private readonly double[] _leafValues;
    private readonly int[] _roots;
    private readonly double _initScore;

    internal CompiledPredictor(GbdtModel model)
    {
        FeatureCount = model.FeatureNames.Count;
        _initScore = model.InitScore;
        var nodeCount = 0;
        var leafCount = 0;
        foreach (var tree in model.Trees)
        {
            nodeCount += tree.SplitFeatures.Count;
            leafCount += tree.LeafCount;
        }

        _nodes = new Node[nodeCount];
        _leafValues = new double[leafCount];
        _roots = new int[model.Trees.Count];
        int nodeBase = 0, leafBase = 0;
        for (var t = 0; t < model.Trees.Count; t++)
        {
            var tree = model.Trees[t];
            var n = tree.SplitFeatures.Count;
            _roots[t] = n == 0 ? ~leafBase : nodeBase;
            for (var i = 0; i < n; i++)
            {
                _nodes[nodeBase + i] = new Node(
                    tree.Thresholds[i], tree.SplitFeatures[i], Relocate(tree.LeftChildren[i], nodeBase, leafBase),
                    Relocate(tree.RightChildren[i], nodeBase, leafBase), tree.DefaultLeft[i]);
            }

            for (var leaf = 0; leaf < tree.LeafCount; leaf++)
            {
                _leafValues[leafBase + leaf] = tree.LeafValues[leaf];
            }

            nodeBase += n;
            leafBase += tree.LeafCount;
        }
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
        for (var t = 0; t < _roots.Length; t++)
        {
            sum += _leafValues[~Walk(_roots[t], ref x)];
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
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism ?? -1 };
        Parallel.For(0, blocks, options, () => ArrayPool<double>.Shared.Rent(BlockRows * Math.Max(1, FeatureCount)), (block, _, buffer) =>
        {
            var start = block * BlockRows;
            var count = Math.Min(BlockRows, features.RowCount - start);
            ScoreBlock(features, start, count, buffer, destination.Span.Slice(start, count));
            return buffer;
        }, buffer => ArrayPool<double>.Shared.Return(buffer));
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
        for (var t = 0; t < _roots.Length; t++)
        {
            var root = _roots[t];
            for (var r = 0; r < count; r++)
            {
                scores[r] += _leafValues[~Walk(root, ref Unsafe.Add(ref rows, r * width))];
            }
        }
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
