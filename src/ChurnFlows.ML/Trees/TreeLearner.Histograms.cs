namespace ChurnFlows.ML.Trees;

/// <content>Histogram construction, subtraction and per-leaf split search.</content>
internal sealed partial class TreeLearner
{
    /// <summary>
    /// Builds <paramref name="built"/>'s histogram from its rows; if <paramref name="derived"/> ≥ 0,
    /// turns the parent histogram in its slot into its own by subtraction; then finds both leaves' best splits.
    /// </summary>
    private void BuildAndFind(double[] gradients, double[] hessians, int[] features, int built, int derived, bool allRowsInOrder)
    {
        var buildSplittable = CanSplit(built);
        var deriveSplittable = derived >= 0 && CanSplit(derived);
        _best[built] = SplitInfo.None;
        if (derived >= 0)
        {
            _best[derived] = SplitInfo.None;
        }

        if (!buildSplittable && !deriveSplittable)
        {
            return;
        }

        var begin = _partition.Begin(built);
        var count = _partition.Count(built);

        // Row-wise when most features are used (one pass over the rows for all of them); column-wise, on gathered
        // gradients, when feature sampling leaves only a few.
        var rowWise = features.Length * 2 >= _data.FeatureCount;
        if (rowWise)
        {
            BuildRowWise(gradients, hessians, begin, count, _hists[built]!, allRowsInOrder);
        }
        else if (!allRowsInOrder)
        {
            Gather(gradients, hessians, begin, count);
        }

        var perFeature = new FeatureWork(this, gradients, hessians, features, built, derived, buildSplittable, deriveSplittable, allRowsInOrder, rowWise);
        // Column-wise, the per-feature work includes the histogram (rows × features); row-wise only the split search.
        var work = rowWise ? SplitSearchWork : (long)count * features.Length;
        if (work < ParallelWorkThreshold || _parallel.MaxDegreeOfParallelism == 1)
        {
            for (var k = 0; k < features.Length; k++)
            {
                perFeature.Run(k);
            }
        }
        else
        {
            Parallel.For(0, features.Length, _parallel, perFeature.Run);
        }

        // Reduce in feature order so ties resolve the same way on any thread count.
        for (var k = 0; k < features.Length; k++)
        {
            var f = features[k];
            if (buildSplittable && _smallerByFeature[f].IsBetterThan(_best[built]))
            {
                _best[built] = _smallerByFeature[f];
            }

            if (deriveSplittable && _largerByFeature[f].IsBetterThan(_best[derived]))
            {
                _best[derived] = _largerByFeature[f];
            }
        }
    }

    /// <summary>
    /// Builds every feature's histogram of the leaf's rows. Large leaves are cut into a number of row chunks that
    /// depends only on the row count, built in parallel and summed in chunk order, so the result is the same on
    /// any number of threads.
    /// </summary>
    private void BuildRowWise(double[] gradients, double[] hessians, int begin, int count, double[] target, bool allRowsInOrder)
    {
        var chunks = Math.Clamp(count / RowChunk, 1, MaxRowChunks);
        var bins = _data.RowMajorBins;
        void BuildChunk(int chunk)
        {
            var from = (int)((long)chunk * count / chunks);
            var to = (int)((long)(chunk + 1) * count / chunks);
            var hist = chunk == 0 ? target : (_chunkHists[chunk - 1] ??= new double[target.Length]);
            if (allRowsInOrder)
            {
                HistogramBuilder.BuildRows(bins, _data.HistogramOffsets, begin + from, to - from, gradients, hessians, hist);
            }
            else
            {
                HistogramBuilder.BuildRows(bins, _data.HistogramOffsets, _partition.Indices.AsSpan(begin + from, to - from), gradients, hessians, hist);
            }
        }

        if (chunks == 1)
        {
            BuildChunk(0);
            return;
        }

        Parallel.For(0, chunks, _parallel, BuildChunk);
        for (var chunk = 1; chunk < chunks; chunk++)
        {
            HistogramBuilder.AddInPlace(target, _chunkHists[chunk - 1]);
        }
    }

    private void Gather(double[] gradients, double[] hessians, int begin, int count)
    {
        const int block = 32 * 1024;
        var rows = _partition.Indices;
        if (count < 2 * block || _parallel.MaxDegreeOfParallelism == 1)
        {
            for (var i = begin; i < begin + count; i++)
            {
                _orderedGradients[i] = gradients[rows[i]];
                _orderedHessians[i] = hessians[rows[i]];
            }

            return;
        }

        Parallel.For(0, (count + block - 1) / block, _parallel, b =>
        {
            var end = begin + Math.Min(count, (b + 1) * block);
            for (var i = begin + (b * block); i < end; i++)
            {
                _orderedGradients[i] = gradients[rows[i]];
                _orderedHessians[i] = hessians[rows[i]];
            }
        });
    }

    private GrownTree Finish(int leaves, double shrinkage)
    {
        var nodes = leaves - 1;
        var leafValues = new double[leaves];
        var leafCovers = new double[leaves];
        for (var leaf = 0; leaf < leaves; leaf++)
        {
            leafValues[leaf] = _finder.LeafOutput(_leafGradient[leaf], _leafHessian[leaf]) * shrinkage;
            leafCovers[leaf] = _partition.Count(leaf);
        }

        var features = _nodes.Feature.AsSpan(0, nodes).ToArray();
        var missingBins = Array.ConvertAll(features, f => _data.Mappers[f].MissingBin);
        var defaultLeft = _nodes.DefaultLeft.AsSpan(0, nodes).ToArray();
        var left = _nodes.Left.AsSpan(0, nodes).ToArray();
        var right = _nodes.Right.AsSpan(0, nodes).ToArray();
        var tree = new RegressionTree(
            features, _nodes.Threshold.AsSpan(0, nodes).ToArray(), defaultLeft, left, right,
            _nodes.Gain.AsSpan(0, nodes).ToArray(), _nodes.Cover.AsSpan(0, nodes).ToArray(), leafValues, leafCovers);
        return new GrownTree(tree, features, _nodes.ThresholdBin.AsSpan(0, nodes).ToArray(), missingBins, defaultLeft, left, right, leafValues);
    }

    /// <summary>One leaf pair's per-feature work, shaped as an instance method to avoid a closure per feature.</summary>
    private sealed class FeatureWork(
        TreeLearner learner, double[] gradients, double[] hessians, int[] features, int built, int derived,
        bool buildSplittable, bool deriveSplittable, bool allRowsInOrder, bool histogramsBuilt)
    {
        public void Run(int k)
        {
            var data = learner._data;
            var f = features[k];
            var offset = data.HistogramOffsets[f] * HistogramBuilder.Stride;
            var length = data.Mappers[f].BinCount * HistogramBuilder.Stride;
            var builtHist = learner._hists[built].AsSpan(offset, length);
            var begin = learner._partition.Begin(built);
            var count = learner._partition.Count(built);
            // Row-wise, every feature's histogram was built before the per-feature work; column-wise, build this one now.
            if (!histogramsBuilt && allRowsInOrder)
            {
                HistogramBuilder.BuildAll(data.Bins[f], gradients, hessians, builtHist);
            }
            else if (!histogramsBuilt)
            {
                HistogramBuilder.BuildGathered(
                    data.Bins[f], learner._partition.Indices.AsSpan(begin, count),
                    learner._orderedGradients.AsSpan(begin, count), learner._orderedHessians.AsSpan(begin, count), builtHist);
            }

            if (buildSplittable)
            {
                learner._smallerByFeature[f] = learner._finder.FindBest(
                    builtHist, f, learner._leafGradient[built], learner._leafHessian[built], count);
            }

            if (deriveSplittable)
            {
                var derivedHist = learner._hists[derived].AsSpan(offset, length);
                HistogramBuilder.SubtractInPlace(derivedHist, builtHist);
                learner._largerByFeature[f] = learner._finder.FindBest(
                    derivedHist, f, learner._leafGradient[derived], learner._leafHessian[derived], learner._partition.Count(derived));
            }
        }
    }

    /// <summary>Internal-node arrays of the tree being grown (capacity: leaves − 1).</summary>
    private sealed class NodeArrays(int maxLeaves)
    {
        public int Count { get; set; }

        public int[] Feature { get; } = new int[maxLeaves];

        public int[] ThresholdBin { get; } = new int[maxLeaves];

        public double[] Threshold { get; } = new double[maxLeaves];

        public bool[] DefaultLeft { get; } = new bool[maxLeaves];

        public int[] Left { get; } = new int[maxLeaves];

        public int[] Right { get; } = new int[maxLeaves];

        public double[] Gain { get; } = new double[maxLeaves];

        public double[] Cover { get; } = new double[maxLeaves];
    }
}
