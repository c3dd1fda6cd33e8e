namespace ChurnFlows.ML.Trees;

/// <summary>A freshly grown tree plus its binned thresholds, so training can score binned rows exactly.</summary>
internal sealed class GrownTree
{
    public GrownTree(RegressionTree tree, int[] features, int[] thresholdBins, int[] missingBins, bool[] defaultLeft, int[] left, int[] right, double[] leafValues)
    {
        Tree = tree;
        Features = features;
        MissingBins = missingBins;
        ThresholdBins = thresholdBins;
        DefaultLeft = defaultLeft;
        Left = left;
        Right = right;
        LeafValues = leafValues;
    }

    public RegressionTree Tree { get; }

    public int[] Features { get; }

    public int[] ThresholdBins { get; }

    /// <summary>Gets each node's feature's missing-value bin.</summary>
    public int[] MissingBins { get; }

    public bool[] DefaultLeft { get; }

    public int[] Left { get; }

    public int[] Right { get; }

    public double[] LeafValues { get; }

    /// <summary>Adds the tree's output to every row's score, walking the tree on binned values.</summary>
    public void AddTo(BinnedDataset data, double[] scores, ParallelOptions parallel) => AddTo(data, null, scores, parallel);

    /// <summary>Adds the tree's output to the listed rows' scores (null: every row), e.g. the rows a bagged tree did not see.</summary>
    public void AddTo(BinnedDataset data, ArraySegment<int>? rows, double[] scores, ParallelOptions parallel)
    {
        const int block = 8192;
        var count = rows?.Count ?? data.RowCount;
        var bins = data.RowMajorBins;
        var features = data.FeatureCount;
        Parallel.For(0, (count + block - 1) / block, parallel, b =>
        {
            var end = Math.Min(count, (b + 1) * block);
            for (var i = b * block; i < end; i++)
            {
                var row = rows is { } listed ? listed[i] : i;
                scores[row] += LeafValues[LeafOf(bins.AsSpan(row * features, features))];
            }
        });
    }

    /// <summary>Walks the tree for one row's bins (row-major, so a walk touches one cache line).</summary>
    private int LeafOf(ReadOnlySpan<byte> rowBins)
    {
        if (Features.Length == 0)
        {
            return 0;
        }

        var node = 0;
        while (node >= 0)
        {
            int bin = rowBins[Features[node]];
            var goLeft = bin == MissingBins[node] ? DefaultLeft[node] : bin <= ThresholdBins[node];
            node = goLeft ? Left[node] : Right[node];
        }

        return ~node;
    }
}
