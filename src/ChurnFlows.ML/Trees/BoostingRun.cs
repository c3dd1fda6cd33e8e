namespace ChurnFlows.ML.Trees;

/// <summary>One training run's boosting loop: gradients, sampling, tree growth, score updates, early stopping.</summary>
internal sealed class BoostingRun
{
    private const int RowBlock = 16 * 1024;
    private readonly GbdtBinaryTrainer.Options _options;
    private readonly BinnedDataset _data;
    private readonly float[] _labels;
    private readonly double[] _weights;
    private readonly BinnedDataset? _validation;
    private readonly float[] _validationLabels;
    private readonly ParallelOptions _parallel;
    private readonly double[] _scores;
    private readonly double[]? _validationScores;
    private readonly double[] _gradients;
    private readonly double[] _hessians;
    private readonly Random _bagRandom;
    private readonly Random _featureRandom;
    private readonly int[] _allFeatures;
    private int[]? _inBag;
    private int[]? _outOfBag;

    public BoostingRun(
        GbdtBinaryTrainer.Options options, BinnedDataset data, float[] labels, double[] weights, double initScore,
        BinnedDataset? validation, float[] validationLabels, ParallelOptions parallel)
    {
        _options = options;
        _data = data;
        _labels = labels;
        _weights = weights;
        _validation = validation;
        _validationLabels = validationLabels;
        _parallel = parallel;
        _scores = new double[data.RowCount];
        Array.Fill(_scores, initScore);
        if (validation is not null)
        {
            _validationScores = new double[validation.RowCount];
            Array.Fill(_validationScores, initScore);
        }

        _gradients = new double[data.RowCount];
        _hessians = new double[data.RowCount];
        _bagRandom = new Random(unchecked(options.Seed + 3));
        _featureRandom = new Random(unchecked(options.Seed + 2));
        _allFeatures = new int[data.FeatureCount];
        for (var f = 0; f < _allFeatures.Length; f++)
        {
            _allFeatures[f] = f;
        }
    }

    /// <summary>Gets every training row's raw score after the trees grown so far (in-bag rows updated by leaf, the rest by walking the tree).</summary>
    public ReadOnlySpan<double> TrainingScores => _scores;

    /// <summary>Gets the best iteration (1-based) once <see cref="Run"/> has returned.</summary>
    public int BestIteration { get; private set; }

    public List<RegressionTree> Run(CancellationToken cancellationToken)
    {
        var metric = _options.ValidationMetric ?? GbdtValidationMetric.LogLoss;
        var finder = new SplitFinder(
            _options.L1Regularization, _options.L2Regularization, _options.MinimumExampleCountPerLeaf,
            _options.MinimumSumHessianPerLeaf, _options.MinimumGainToSplit);
        var learner = new TreeLearner(_data, finder, _options.NumberOfLeaves, _options.MaximumDepth, _options.MinimumExampleCountPerLeaf, _parallel);
        var trees = new List<RegressionTree>(_options.NumberOfIterations);
        var bagging = _options.BaggingFrequency > 0 && _options.BaggingFraction < 1.0;
        Bag? bag = null;
        double? best = null;
        var bestIteration = 0;
        var earlyStopped = false;
        for (var iteration = 0; iteration < _options.NumberOfIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ComputeGradients();
            if (bagging && iteration % _options.BaggingFrequency == 0)
            {
                bag = DrawBag();
            }

            var grown = learner.Grow(_gradients, _hessians, bag?.InBag, SampleFeatures(), _options.LearningRate);
            if (grown is null)
            {
                break;
            }

            trees.Add(grown.Tree);
            UpdateTrainingScores(grown, learner.Partition, bag?.OutOfBag);
            double? value = null;
            if (_validation is not null && _validationScores is not null)
            {
                grown.AddTo(_validation, _validationScores, _parallel);
                value = metric.Evaluate(_validationLabels, _validationScores);
                if (best is null || (metric.HigherIsBetter ? value > best : value < best))
                {
                    best = value;
                    bestIteration = trees.Count;
                }
            }
            else
            {
                bestIteration = trees.Count;
            }

            if (_options.IterationCallback is { } callback)
            {
                var context = new GbdtIterationContext(trees.Count, metric.Name, value, _validationScores, bestIteration, best);
                callback(context);
                if (context.StopRequested)
                {
                    break;
                }
            }

            if (_options.EarlyStoppingRounds > 0 && trees.Count - bestIteration >= _options.EarlyStoppingRounds)
            {
                earlyStopped = true;
                break;
            }
        }

        if (earlyStopped)
        {
            trees.RemoveRange(bestIteration, trees.Count - bestIteration);
        }

        BestIteration = bestIteration;
        return trees;
    }

    private void ComputeGradients()
    {
        var blocks = (_data.RowCount + RowBlock - 1) / RowBlock;
        Parallel.For(0, blocks, _parallel, b =>
        {
            var end = Math.Min(_data.RowCount, (b + 1) * RowBlock);
            for (var i = b * RowBlock; i < end; i++)
            {
                var p = 1.0 / (1.0 + Math.Exp(-_scores[i]));
                var w = _weights[i];
                _gradients[i] = (p - _labels[i]) * w;
                _hessians[i] = Math.Max(p * (1.0 - p), 1e-16) * w;
            }
        });
    }

    private void UpdateTrainingScores(GrownTree grown, DataPartition partition, ArraySegment<int>? outOfBag)
    {
        // The partition holds the rows the tree was grown on, by leaf; rows left out of a bag walk the tree.
        for (var leaf = 0; leaf < grown.LeafValues.Length; leaf++)
        {
            var value = grown.LeafValues[leaf];
            foreach (var row in partition.Rows(leaf))
            {
                _scores[row] += value;
            }
        }

        if (outOfBag is { Count: > 0 })
        {
            grown.AddTo(_data, outOfBag, _scores, _parallel);
        }
    }

    /// <summary>Draws a bagging sample: each row in with probability <see cref="GbdtBinaryTrainer.Options.BaggingFraction"/>, from a seeded stream.</summary>
    private Bag DrawBag()
    {
        // xorshift64*, seeded from the run's bagging generator: a draw per row must cost next to nothing.
        var state = (ulong)_bagRandom.NextInt64() | 1UL;
        var threshold = (ulong)(_options.BaggingFraction * (1UL << 53));
        // Both lists reuse one buffer each for the whole run: a draw per round must not allocate a row-sized array.
        var inBag = _inBag ??= new int[_data.RowCount];
        var outOfBag = _outOfBag ??= new int[_data.RowCount];
        int taken = 0, left = 0;
        for (var i = 0; i < _data.RowCount; i++)
        {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            if (((state * 0x2545F4914F6CDD1DUL) >> 11) < threshold)
            {
                inBag[taken++] = i;
            }
            else
            {
                outOfBag[left++] = i;
            }
        }

        // An empty draw (tiny data, tiny fraction) keeps one row so the tree still has a root.
        if (taken == 0)
        {
            inBag[0] = 0;
            return new Bag(new ArraySegment<int>(inBag, 0, 1), new ArraySegment<int>(outOfBag, 1, left - 1));
        }

        return new Bag(new ArraySegment<int>(inBag, 0, taken), new ArraySegment<int>(outOfBag, 0, left));
    }

    private int[] SampleFeatures()
    {
        if (_options.FeatureFraction >= 1.0)
        {
            return _allFeatures;
        }

        var count = Math.Max(1, (int)Math.Round(_allFeatures.Length * _options.FeatureFraction));
        var order = (int[])_allFeatures.Clone();
        for (var i = 0; i < count; i++)
        {
            var j = i + _featureRandom.Next(order.Length - i);
            (order[i], order[j]) = (order[j], order[i]);
        }

        var chosen = order.AsSpan(0, count).ToArray();
        Array.Sort(chosen);
        return chosen;
    }

    /// <summary>One bagging draw: the rows a tree is grown on, and the rest, both ascending.</summary>
    private readonly record struct Bag(ArraySegment<int> InBag, ArraySegment<int> OutOfBag);
}
