namespace ChurnFlows.ML.Trees;

/// <summary>
/// Training (and validation) rows already binned, so that many models can be fitted on the same data
/// (tuning trials) without binning it again. Made by <see cref="GbdtBinaryTrainer.Bin"/>; binning depends
/// only on the rows, <see cref="GbdtBinaryTrainer.Options.MaximumBinCountPerFeature"/> and
/// <see cref="GbdtBinaryTrainer.Options.Seed"/>, so a fit from it equals a fit from the matrices. Read-only
/// and safe to share between concurrent fits.
/// </summary>
public sealed class BinnedTrainingData
{
    internal BinnedTrainingData(BinnedDataset train, BinnedDataset? validation, IReadOnlyList<string> featureNames, int maximumBinCount, int seed)
    {
        Train = train;
        Validation = validation;
        FeatureNames = featureNames;
        MaximumBinCount = maximumBinCount;
        Seed = seed;
    }

    /// <summary>Gets the feature names, in column order.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Gets the training row count.</summary>
    public int RowCount => Train.RowCount;

    /// <summary>Gets the validation row count (0 without a validation set).</summary>
    public int ValidationRowCount => Validation?.RowCount ?? 0;

    /// <summary>Gets the bin count the rows were binned with.</summary>
    public int MaximumBinCount { get; }

    /// <summary>Gets the seed the bin bounds were sampled with.</summary>
    public int Seed { get; }

    internal BinnedDataset Train { get; }

    internal BinnedDataset? Validation { get; }
}
