namespace ChurnFlows.ML.Trees;

/// <summary>
/// The rows of every leaf of the tree being grown, as contiguous segments of one index array;
/// splitting a leaf partitions its segment stably in place (left rows first).
/// </summary>
internal sealed class DataPartition
{
    private const int ParallelMinimum = 16 * 1024;
    private const int BlockSize = 8 * 1024;
    private readonly int[] _indices;
    private readonly int[] _scratch;
    private readonly int[] _begin;
    private readonly int[] _count;

    public DataPartition(int capacity, int maxLeaves)
    {
        _indices = new int[capacity];
        _scratch = new int[capacity];
        _begin = new int[maxLeaves];
        _count = new int[maxLeaves];
    }

    /// <summary>Gets the index array; leaf segments live in it.</summary>
    public int[] Indices => _indices;

    /// <summary>Puts all rows <c>0..rowCount-1</c> in leaf 0.</summary>
    public void ResetAll(int rowCount)
    {
        for (var i = 0; i < rowCount; i++)
        {
            _indices[i] = i;
        }

        _begin[0] = 0;
        _count[0] = rowCount;
    }

    /// <summary>Puts the given rows (e.g. a bagging sample) in leaf 0.</summary>
    public void Reset(ReadOnlySpan<int> rows)
    {
        rows.CopyTo(_indices);
        _begin[0] = 0;
        _count[0] = rows.Length;
    }

    /// <summary>Gets the first position of a leaf's segment.</summary>
    public int Begin(int leaf) => _begin[leaf];

    /// <summary>Gets a leaf's row count.</summary>
    public int Count(int leaf) => _count[leaf];

    /// <summary>Gets a leaf's rows.</summary>
    public ReadOnlySpan<int> Rows(int leaf) => _indices.AsSpan(_begin[leaf], _count[leaf]);

    /// <summary>
    /// Splits <paramref name="leaf"/>: rows going left stay in it, the others move to <paramref name="newLeaf"/>.
    /// A row goes left when its bin is ≤ <paramref name="thresholdBin"/>, or it is missing and <paramref name="defaultLeft"/>.
    /// Large leaves are partitioned in parallel blocks; the result (a stable partition) is the same either way.
    /// </summary>
    public void Split(int leaf, int newLeaf, byte[] bins, int thresholdBin, bool defaultLeft, int missingBin, ParallelOptions parallel)
    {
        var begin = _begin[leaf];
        var count = _count[leaf];
        var blocks = count < ParallelMinimum || parallel.MaxDegreeOfParallelism == 1 ? 1 : Math.Max(2, count / BlockSize);
        var blockSize = (count + blocks - 1) / blocks;
        var leftCounts = new int[blocks];
        var rule = new SplitRule(bins, thresholdBin, defaultLeft, missingBin);

        // Pass 1: each block partitions its rows into the scratch array (left rows first, then right rows).
        if (blocks == 1)
        {
            leftCounts[0] = PartitionBlock(begin, count, rule);
        }
        else
        {
            Parallel.For(0, blocks, parallel, b =>
            {
                var start = b * blockSize;
                leftCounts[b] = start >= count ? 0 : PartitionBlock(begin + start, Math.Min(blockSize, count - start), rule);
            });
        }

        // Pass 2: concatenate the blocks' left parts, then their right parts, back into the index array.
        var totalLeft = 0;
        foreach (var c in leftCounts)
        {
            totalLeft += c;
        }

        int leftAt = begin, rightAt = begin + totalLeft;
        for (var b = 0; b < blocks; b++)
        {
            var start = b * blockSize;
            if (start >= count)
            {
                break;
            }

            var length = Math.Min(blockSize, count - start);
            Array.Copy(_scratch, begin + start, _indices, leftAt, leftCounts[b]);
            Array.Copy(_scratch, begin + start + leftCounts[b], _indices, rightAt, length - leftCounts[b]);
            leftAt += leftCounts[b];
            rightAt += length - leftCounts[b];
        }

        _count[leaf] = totalLeft;
        _begin[newLeaf] = begin + totalLeft;
        _count[newLeaf] = count - totalLeft;
    }

    private int PartitionBlock(int start, int length, SplitRule rule)
    {
        var indices = _indices;
        var scratch = _scratch;
        var bins = rule.Bins;
        var left = start;
        var end = start + length;

        // Right rows go to the end of the block's scratch range in reverse, then get flipped into order. Branch-free:
        // each row is written to both candidate places and only one cursor moves (the side is data-dependent, so a
        // branch would mispredict about half the time).
        var right = end;
        var missingBin = rule.MissingBin;
        var thresholdBin = rule.ThresholdBin;
        var missingLeft = rule.DefaultLeft ? 1 : 0;
        for (var i = start; i < end; i++)
        {
            var row = indices[i];
            int bin = bins[row];
            var goLeft = bin == missingBin ? missingLeft : (bin <= thresholdBin ? 1 : 0);
            scratch[left] = row;
            scratch[right - 1] = row;
            left += goLeft;
            right -= goLeft ^ 1;
        }

        scratch.AsSpan(left, end - left).Reverse();
        return left - start;
    }

    private readonly record struct SplitRule(byte[] Bins, int ThresholdBin, bool DefaultLeft, int MissingBin);
}
