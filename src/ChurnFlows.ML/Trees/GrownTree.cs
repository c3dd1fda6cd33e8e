namespace ChurnFlows.ML.Trees;

/// <summary>A freshly grown tree plus its binned thresholds, so training can score binned rows exactly.</summary>
internal sealed class GrownTree
{
    public GrownTree(RegressionTree tree, int[] features, int[] thresholdBins, bool[] defaultLeft, int[] left, int[] right, double[] leafValues)
    {
        Tree = tree;
        Features = features;
        ThresholdBins = thresholdBins;
        DefaultLeft = defaultLeft;
        Left = left;
        Right = right;
        LeafValues = leafValues;
    }

    public RegressionTree Tree { get; }

    public int[] Features { get; }

    public int[] ThresholdBins { get; }

    public bool[] DefaultLeft { get; }

    public int[] Left { get; }

    public int[] Right { get; }

    public double[] LeafValues { get; }

    /// <summary>Adds the tree's output to every row's score, walking the tree on binned values.</summary>
    public void AddTo(BinnedDataset data, double[] scores, ParallelOptions parallel)
    {
        const int block = 8192;
        var blocks = (data.RowCount + block - 1) / block;
        Parallel.For(0, blocks, parallel, b =>
        {
            var end = Math.Min(data.RowCount, (b + 1) * block);
            for (var row = b * block; row < end; row++)
            {
                scores[row] += LeafValues[LeafOf(data, row)];
            }
        });
    }

    private int LeafOf(BinnedDataset data, int row)
    {
        if (Features.Length == 0)
        {
            return 0;
        }

        var node = 0;
        while (node >= 0)
        {
            var feature = Features[node];
            int bin = data.Bins[feature][row];
            var goLeft = bin == data.Mappers[feature].MissingBin ? DefaultLeft[node] : bin <= ThresholdBins[node];
            node = goLeft ? Left[node] : Right[node];
        }

        return ~node;
    }
}
