using ChurnFlows.ML.Data;
using Microsoft.ML;

namespace ChurnFlows.ML.LightGbm;

/// <summary>
/// Training (and validation) rows prepared once for any number of LightGBM fits, e.g. a tuning study's trials:
/// the missing-value chain is fitted on the training rows and the views LightGBM reads already hold its output.
/// Immutable; fits may share it from several threads.
/// </summary>
public sealed class LightGbmTrainingData
{
    internal LightGbmTrainingData(FeatureMatrix train, float[] labels, FeatureMatrix? validation, float[]? validationLabels)
    {
        Train = train;
        Labels = labels;
        Validation = validation;
        ValidationLabels = validationLabels;
        (Imputer, Imputation) = ImputationChain.Fit(new MLContext(seed: 0), train);
        TrainView = new FeatureMatrixDataView(train, labels, Imputation);
        ValidationView = validation is null ? null : new FeatureMatrixDataView(validation, validationLabels, Imputation);
        RawSchema = new FeatureMatrixDataView(train, null).Schema;
    }

    /// <summary>Gets the training rows (raw features, NaN = missing).</summary>
    public FeatureMatrix Train { get; }

    /// <summary>Gets the training labels (0/1).</summary>
    public IReadOnlyList<float> Labels { get; }

    /// <summary>Gets the validation rows, if any.</summary>
    public FeatureMatrix? Validation { get; }

    /// <summary>Gets the validation labels, if any.</summary>
    public IReadOnlyList<float>? ValidationLabels { get; }

    /// <summary>Gets how missing values are made explicit (fitted on the training rows).</summary>
    public MissingValueImputation Imputation { get; }

    /// <summary>Gets ML.NET's fitted missing-value chain (the first part of the saved ML.NET model).</summary>
    internal ITransformer Imputer { get; }

    /// <summary>Gets the schema of raw rows: what the saved ML.NET model takes.</summary>
    internal Microsoft.ML.DataViewSchema RawSchema { get; }

    /// <summary>Gets the training rows as LightGBM reads them (imputed, with indicators).</summary>
    internal FeatureMatrixDataView TrainView { get; }

    /// <summary>Gets the validation rows as LightGBM reads them.</summary>
    internal FeatureMatrixDataView? ValidationView { get; }
}
