namespace ChurnFlows.ML.Trees;

/// <summary>
/// Grows one tree leaf-wise (best-first), LightGBM's serial tree learner: each step splits the
/// leaf with the largest gain; only the smaller child's histogram is built from rows, the larger
/// one is the parent's minus it. Histograms are built row-wise (all features in one pass) in row
/// chunks whose number depends only on the leaf's row count, or column-wise when few features are
/// sampled; split search runs in parallel over features. Partial results are combined in a fixed
/// order, so the result is the same for any thread count.
/// </summary>
internal sealed partial class TreeLearner
{
    // Below this much work (rows × features) a leaf's histograms are built on one thread.
    private const int ParallelWorkThreshold = 32 * 1024;

    // Row-wise histograms: rows per chunk before a leaf is split into parallel chunks, and the most chunks.
    private const int RowChunk = 4 * 1024;
    private const int MaxRowChunks = 8;

    // The split search of all features of a leaf pair is worth spreading over threads (measured: it is about a
    // quarter of a fit's single-thread time at 70,000 rows, and one Parallel.For costs a few microseconds).
    private const long SplitSearchWork = ParallelWorkThreshold;

    private readonly BinnedDataset _data;
    private readonly SplitFinder _finder;
    private readonly int _maxLeaves;
    private readonly int _maxDepth;
    private readonly int _minCount;
    private readonly ParallelOptions _parallel;
    private readonly DataPartition _partition;
    private readonly double[]?[] _hists;
    private readonly double[]?[] _chunkHists = new double[]?[MaxRowChunks - 1];
    private readonly double[] _orderedGradients;
    private readonly double[] _orderedHessians;
    private readonly SplitInfo[] _best;
    private readonly SplitInfo[] _smallerByFeature;
    private readonly SplitInfo[] _largerByFeature;
    private readonly double[] _leafGradient;
    private readonly double[] _leafHessian;
    private readonly int[] _leafDepth;
    private readonly int[] _leafParent;
    private readonly NodeArrays _nodes;

    public TreeLearner(BinnedDataset data, SplitFinder finder, int maxLeaves, int maxDepth, int minCount, ParallelOptions parallel)
    {
        _data = data;
        _finder = finder;
        _maxLeaves = maxLeaves;
        _maxDepth = maxDepth;
        _minCount = Math.Max(1, minCount);
        _parallel = parallel;
        _partition = new DataPartition(data.RowCount, maxLeaves);
        _hists = new double[maxLeaves][];
        _orderedGradients = new double[data.RowCount];
        _orderedHessians = new double[data.RowCount];
        _best = new SplitInfo[maxLeaves];
        _smallerByFeature = new SplitInfo[data.FeatureCount];
        _largerByFeature = new SplitInfo[data.FeatureCount];
        _leafGradient = new double[maxLeaves];
        _leafHessian = new double[maxLeaves];
        _leafDepth = new int[maxLeaves];
        _leafParent = new int[maxLeaves];
        _nodes = new NodeArrays(maxLeaves);
    }

    /// <summary>Gets the partition of the last grown tree (leaf → rows), valid until the next call.</summary>
    public DataPartition Partition => _partition;

    /// <summary>Grows a tree on the given gradients; returns null when even the root cannot be split.</summary>
    /// <param name="gradients">Per-row gradients.</param>
    /// <param name="hessians">Per-row hessians.</param>
    /// <param name="bagRows">The rows to use (bagging), or null for all rows.</param>
    /// <param name="features">The features this tree may split on (feature fraction), ascending.</param>
    /// <param name="shrinkage">The learning rate applied to the leaf outputs.</param>
    public GrownTree? Grow(double[] gradients, double[] hessians, ArraySegment<int>? bagRows, int[] features, double shrinkage)
    {
        if (bagRows is null)
        {
            _partition.ResetAll(_data.RowCount);
        }
        else
        {
            _partition.Reset(bagRows.Value);
        }

        double sumG = 0, sumH = 0;
        var rows = _partition.Rows(0);
        for (var i = 0; i < rows.Length; i++)
        {
            sumG += gradients[rows[i]];
            sumH += hessians[rows[i]];
        }

        _leafGradient[0] = sumG;
        _leafHessian[0] = sumH;
        _leafDepth[0] = 0;
        _leafParent[0] = -1;
        _nodes.Count = 0;
        _hists[0] ??= new double[_data.TotalBins * HistogramBuilder.Stride];
        BuildAndFind(gradients, hessians, features, 0, -1, bagRows is null);

        var leaves = 1;
        while (leaves < _maxLeaves)
        {
            var bestLeaf = 0;
            for (var leaf = 1; leaf < leaves; leaf++)
            {
                if (_best[leaf].Gain > _best[bestLeaf].Gain)
                {
                    bestLeaf = leaf;
                }
            }

            if (!_best[bestLeaf].IsValid)
            {
                break;
            }

            SplitLeaf(bestLeaf, leaves, gradients, hessians, features);
            leaves++;
        }

        return leaves == 1 ? null : Finish(leaves, shrinkage);
    }

    private void SplitLeaf(int leaf, int newLeaf, double[] gradients, double[] hessians, int[] features)
    {
        var split = _best[leaf];
        var mapper = _data.Mappers[split.Feature];
        var node = _nodes.Count++;
        _nodes.Feature[node] = split.Feature;
        _nodes.ThresholdBin[node] = split.ThresholdBin;
        _nodes.Threshold[node] = mapper.ThresholdOf(split.ThresholdBin);
        _nodes.DefaultLeft[node] = split.DefaultLeft;
        _nodes.Gain[node] = split.Gain;
        _nodes.Cover[node] = _partition.Count(leaf);
        _nodes.Left[node] = ~leaf;
        _nodes.Right[node] = ~newLeaf;
        var parent = _leafParent[leaf];
        if (parent >= 0)
        {
            if (_nodes.Left[parent] == ~leaf)
            {
                _nodes.Left[parent] = node;
            }
            else
            {
                _nodes.Right[parent] = node;
            }
        }

        _partition.Split(leaf, newLeaf, _data.Bins[split.Feature], split.ThresholdBin, split.DefaultLeft, mapper.MissingBin, _parallel);
        _leafGradient[leaf] = split.LeftGradient;
        _leafHessian[leaf] = split.LeftHessian;
        _leafGradient[newLeaf] = split.RightGradient;
        _leafHessian[newLeaf] = split.RightHessian;
        _leafDepth[newLeaf] = ++_leafDepth[leaf];
        _leafParent[leaf] = node;
        _leafParent[newLeaf] = node;

        // The parent's histogram becomes the larger child's; the smaller child's is built from rows.
        var leftIsSmaller = _partition.Count(leaf) <= _partition.Count(newLeaf);
        var smaller = leftIsSmaller ? leaf : newLeaf;
        var larger = leftIsSmaller ? newLeaf : leaf;
        if (larger == newLeaf)
        {
            (_hists[leaf], _hists[newLeaf]) = (_hists[newLeaf], _hists[leaf]);
        }

        _hists[smaller] ??= new double[_data.TotalBins * HistogramBuilder.Stride];
        BuildAndFind(gradients, hessians, features, smaller, larger, false);
    }

    private bool CanSplit(int leaf) =>
        _partition.Count(leaf) >= 2 * _minCount && (_maxDepth <= 0 || _leafDepth[leaf] < _maxDepth);
}
