using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ChurnFlows.ML.Data;

namespace ChurnFlows.ML.Trees;

/// <summary>
/// A <see cref="GbdtModel"/> flattened for fast scoring, with bit-identical scores either way: the init score plus
/// every tree's leaf value, in tree order. One row walks compact node arrays with raw thresholds, four trees at a time
/// without a branch on the data, so that the four walks' loads overlap; it allocates nothing. Batches work in the model's own threshold
/// domain (<see cref="ThresholdRanks"/>), in blocks of up to 512 rows, blocks in parallel: each value of a block
/// becomes, once, its rank among the thresholds its feature is split on (a byte when every feature has at most 254
/// thresholds and every tree at most 256 leaves, else 16 bits), stored column by column; then every tree's splits,
/// listed level by level with 16 bytes each, run over 256 rows at a time as vector compares and row masks, with no
/// branch on the data, so a tree costs its number of splits whatever its depth, and the block's codes and the whole
/// model stay in cache. Fewer than seven rows, and models beyond 16-bit codes (a feature with more than 65,534
/// thresholds, a tree with more than 65,536 leaves), are walked row by row. Warm batches allocate nothing but their
/// parallel loop: the work space is per thread and kept. Thread-safe.
/// </summary>
public sealed partial class CompiledPredictor
{
    /// <summary>The most rows in a block; fewer when the codes of so many rows would crowd the L1 cache.</summary>
    private const int MaxBlockRows = 512;

    /// <summary>The bytes of codes a block aims at: a quarter to a third of a core's L1 data cache.</summary>
    private const int BlockCodeBytes = 16 * 1024;

    /// <summary>Fewer rows than this are walked one by one: a vector of rows (64) costs about what six or seven single rows do.</summary>
    private const int MinimumVectorRows = 7;

    private readonly int[] _roots;
    private readonly Node[] _nodes;
    private readonly double[] _leafValues;
    private readonly double _initScore;
    private readonly ThresholdRanks? _ranks;
    private readonly int _codeBytes;
    private readonly int _blockRows = MaxBlockRows;
    private readonly SplitTree[] _splitTrees = [];
    private readonly MaskSplit[] _splits = [];
    private readonly int _maskSlots;

    internal CompiledPredictor(GbdtModel model)
    {
        FeatureCount = model.FeatureNames.Count;
        _initScore = model.InitScore;
        (_roots, var leafStarts, _nodes, _leafValues) = FlattenCompact(model);
        var mostLeaves = model.Trees.Count == 0 ? 1 : model.Trees.Max(t => t.LeafCount);
        _ranks = mostLeaves <= ushort.MaxValue + 1 ? ThresholdRanks.TryCreate(model) : null;
        if (_ranks is null)
        {
            return;
        }

        _codeBytes = _ranks.MostThresholds <= ThresholdRanks.MaxByteThresholds && mostLeaves <= byte.MaxValue + 1 ? 1 : 2;
        var groupRows = WideVectors * Vector512<byte>.Count / _codeBytes;
        _blockRows = Math.Clamp(BlockCodeBytes / Math.Max(1, _ranks.ColumnCount * _codeBytes) / groupRows * groupRows, groupRows, MaxBlockRows);
        (_splitTrees, _splits) = BuildSplitLists(model, _ranks, _blockRows, _codeBytes, leafStarts);
        _maskSlots = _splitTrees.Select(t => t.Splits + t.Leaves).DefaultIfEmpty(1).Max();
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

        // Four trees at a time, branch-free: their loads overlap, and one loop exit is mispredicted per four trees.
        var sum = _initScore;
        ref var x = ref MemoryMarshal.GetReference(row);
        var t = 0;
        for (; t + 4 <= _roots.Length; t += 4)
        {
            var (a, b, c, d) = WalkFour(_roots[t], _roots[t + 1], _roots[t + 2], _roots[t + 3], ref x);
            sum += _leafValues[~a];
            sum += _leafValues[~b];
            sum += _leafValues[~c];
            sum += _leafValues[~d];
        }

        for (; t < _roots.Length; t++)
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

        var blocks = (features.RowCount + _blockRows - 1) / _blockRows;
        var threads = maxDegreeOfParallelism is null or -1 ? Environment.ProcessorCount : maxDegreeOfParallelism.Value;

        // Contiguous ranges of blocks per worker: fewer, larger work items than one per block.
        var workers = Math.Max(1, Math.Min(threads, blocks));
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
        {
            for (var block = worker * blocks / workers; block < (worker + 1) * blocks / workers; block++)
            {
                var start = block * _blockRows;
                var count = Math.Min(_blockRows, features.RowCount - start);
                var scores = destination.Span.Slice(start, count);
                if (_ranks is null || count < MinimumVectorRows)
                {
                    WalkRows(features, start, scores);
                }
                else if (_codeBytes == 1)
                {
                    ScoreBlock<byte>(_ranks, features, start, scores);
                }
                else
                {
                    ScoreBlock<ushort>(_ranks, features, start, scores);
                }
            }
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

    /// <summary>
    /// Encodes a block's rows and runs the split lists over them in this thread's work space: in wide groups, and the
    /// last rows, when at most half a wide group is left, in one-vector groups.
    /// </summary>
    private void ScoreBlock<T>(ThresholdRanks ranks, FeatureMatrix features, int start, Span<double> destination)
        where T : unmanaged, IBinaryInteger<T>
    {
        var count = destination.Length;
        var lanes = Vector512<T>.Count;
        var wideRows = WideVectors * lanes;
        var codeBytes = BlockScratch.Lines(ranks.ColumnCount * _blockRows * Unsafe.SizeOf<T>());
        var maskBytes = _maskSlots * WideVectors * Vector512<byte>.Count;
        var indexBytes = WideVectors * Vector512<byte>.Count;
        var scratch = BlockScratch.ForThisThread(codeBytes + maskBytes + indexBytes + (_blockRows * sizeof(double)));
        var codes = scratch.Slice<T>(0, ranks.ColumnCount * _blockRows);
        var masks = scratch.Slice<Vector512<T>>(codeBytes, _maskSlots * WideVectors);
        var index = scratch.Slice<T>(codeBytes + maskBytes, wideRows);
        var wide = count % wideRows > wideRows / 2 ? (count + wideRows - 1) / wideRows * wideRows : count / wideRows * wideRows;
        var narrow = count > wide ? (count - wide + lanes - 1) / lanes * lanes : 0;
        var scores = scratch.Slice<double>(codeBytes + maskBytes + indexBytes, wide + narrow);
        ranks.Encode(features, start, count, codes, _blockRows);
        scores.Fill(_initScore);

        // Not codes[0]: a model without splits has no code columns, and then no split reads through this.
        ref var first = ref MemoryMarshal.GetReference(codes);
        ScoreGroups<T, FourVectors>(ref first, scores[..wide], masks, index);
        ScoreGroups<T, OneVector>(ref Unsafe.Add(ref first, wide), scores[wide..], masks, index);
        scores[..count].CopyTo(destination);
    }

    /// <summary>Scores rows one by one on the compact layout: for a few rows, or a model beyond 16-bit codes.</summary>
    private void WalkRows(FeatureMatrix features, int start, Span<double> scores)
    {
        var row = FeatureCount <= 256 ? stackalloc double[FeatureCount] : new double[FeatureCount];
        for (var r = 0; r < scores.Length; r++)
        {
            features.CopyRow(start + r, row);
            scores[r] = PredictRaw(row);
        }
    }
}
