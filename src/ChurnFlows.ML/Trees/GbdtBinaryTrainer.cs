using ChurnFlows.ML.Data;

namespace ChurnFlows.ML.Trees;

/// <summary>
/// Trains a binary classifier with LightGBM's gradient-boosting algorithm: quantile-binned features
/// (≤ 255 bins plus a missing bin), leaf-wise trees grown from gradient/hessian histograms with the
/// subtraction trick, learned missing-value directions, log-loss objective boosted from the label
/// average, optional bagging, feature sampling and early stopping on a validation set.
/// </summary>
/// <remarks>
/// Deterministic: the same data, options and <see cref="Options.Seed"/> give the same model on any
/// number of threads (work is split by feature, or in row chunks fixed by the row count, and reduced in a fixed order). Instances are
/// stateless between calls and may be reused; one fit call uses
/// <see cref="Options.NumberOfThreads"/> cores.
/// </remarks>
public sealed partial class GbdtBinaryTrainer
{
    private readonly Options _options;

    /// <summary>Creates a trainer with LightGBM's default hyperparameters.</summary>
    public GbdtBinaryTrainer()
        : this(new Options())
    {
    }

    /// <summary>Creates a trainer with the given hyperparameters (copied; later changes to <paramref name="options"/> have no effect).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public GbdtBinaryTrainer(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
    }

    /// <summary>Trains a model.</summary>
    /// <param name="features">The training rows (NaN = missing).</param>
    /// <param name="labels">One 0/1 label per row (1 = churned).</param>
    /// <param name="weights">Optional non-negative row weights (empty = all 1).</param>
    /// <param name="validationFeatures">Optional validation rows, same columns; needed for early stopping and the callback's metric.</param>
    /// <param name="validationLabels">The validation rows' 0/1 labels.</param>
    /// <param name="cancellationToken">Checked between iterations.</param>
    /// <returns>The trained model; after early stopping it ends at the best iteration.</returns>
    /// <exception cref="ArgumentException">Labels, weights or the validation set do not match the rows, or are not valid.</exception>
    public GbdtModel Fit(
        FeatureMatrix features, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights = default,
        FeatureMatrix? validationFeatures = null, ReadOnlySpan<float> validationLabels = default,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        TrainingInputs.Check(features, labels, weights, validationFeatures, validationLabels, _options.EarlyStoppingRounds);
        return FitBinned(Bin(features, validationFeatures), labels, weights, validationLabels, cancellationToken);
    }

    /// <summary>
    /// Bins training (and validation) rows with this trainer's bin count and seed, for several fits on the
    /// same data (<see cref="Fit(BinnedTrainingData, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, CancellationToken)"/>).
    /// </summary>
    public BinnedTrainingData Bin(FeatureMatrix features, FeatureMatrix? validationFeatures = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        var parallel = Parallel();
        var data = BinnedDataset.Create(features, _options.MaximumBinCountPerFeature, _options.Seed, parallel);
        var validation = validationFeatures is null ? null : data.Apply(validationFeatures, parallel);
        return new BinnedTrainingData(data, validation, features.FeatureNames, _options.MaximumBinCountPerFeature, _options.Seed);
    }

    /// <summary>Trains a model on rows binned earlier by <see cref="Bin"/> (the same model a fit from the matrices gives).</summary>
    /// <exception cref="ArgumentException">The data was binned with another bin count or seed, or labels, weights or validation do not match.</exception>
    public GbdtModel Fit(BinnedTrainingData data, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights = default, ReadOnlySpan<float> validationLabels = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.MaximumBinCount != _options.MaximumBinCountPerFeature || data.Seed != _options.Seed)
        {
            throw new ArgumentException($"The data was binned with {data.MaximumBinCount} bins and seed {data.Seed}; this trainer uses {_options.MaximumBinCountPerFeature} bins and seed {_options.Seed}.", nameof(data));
        }

        TrainingInputs.CheckLabels(labels, data.RowCount, nameof(labels));
        if (!weights.IsEmpty && weights.Length != data.RowCount)
        {
            throw new ArgumentException($"There are {weights.Length} weights for {data.RowCount} rows.", nameof(weights));
        }

        if (data.Validation is null && _options.EarlyStoppingRounds > 0)
        {
            throw new ArgumentException("EarlyStoppingRounds is set but the data has no validation set.", nameof(data));
        }

        if (data.Validation is not null)
        {
            TrainingInputs.CheckLabels(validationLabels, data.ValidationRowCount, nameof(validationLabels));
        }

        return FitBinned(data, labels, weights, validationLabels, cancellationToken);
    }

    private GbdtModel FitBinned(BinnedTrainingData data, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights, ReadOnlySpan<float> validationLabels, CancellationToken cancellationToken)
    {
        var y = labels.ToArray();
        var w = BuildWeights(y, weights);
        var initScore = InitialScore(y, w);
        var run = new BoostingRun(_options, data.Train, y, w, initScore, data.Validation, validationLabels.ToArray(), Parallel());
        var trees = run.Run(cancellationToken);
        return new GbdtModel(data.FeatureNames, initScore, trees, run.BestIteration);
    }

    private ParallelOptions Parallel() => new() { MaxDegreeOfParallelism = _options.NumberOfThreads ?? Environment.ProcessorCount };

    private double[] BuildWeights(float[] labels, ReadOnlySpan<float> weights)
    {
        var result = new double[labels.Length];
        for (var i = 0; i < result.Length; i++)
        {
            var w = weights.IsEmpty ? 1.0 : weights[i];
            result[i] = labels[i] > 0.5f ? w * _options.PositiveClassWeight : w;
        }

        return result;
    }

    private static double InitialScore(float[] labels, double[] weights)
    {
        double positive = 0, total = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            positive += labels[i] * weights[i];
            total += weights[i];
        }

        var average = total > 0 ? positive / total : 0.5;
        average = Math.Clamp(average, 1e-15, 1 - 1e-15);
        return Math.Log(average / (1 - average));
    }
}
