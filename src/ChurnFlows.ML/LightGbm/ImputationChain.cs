using ChurnFlows.ML.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace ChurnFlows.ML.LightGbm;

/// <summary>
/// ML.NET's transforms that make missing values explicit (<see cref="MissingValueImputation"/>): indicator columns for
/// the features with missing training values, replacement by the training mean, then both concatenated as the
/// <c>Features</c> LightGBM reads. Part of the saved ML.NET model, so whoever loads it feeds raw features with NaN.
/// </summary>
internal static class ImputationChain
{
    private const string IndicatorColumn = "MissingIndicators";
    private const string Features = FeatureMatrixDataView.FeaturesColumn;

    /// <summary>Fits the chain on the training rows and reads back what it does.</summary>
    /// <exception cref="InvalidOperationException">The fitted chain does not behave as <see cref="MissingValueImputation"/> describes (an ML.NET change).</exception>
    public static (ITransformer Transformer, MissingValueImputation Imputation) Fit(MLContext ml, FeatureMatrix train)
    {
        var indicated = Enumerable.Range(0, train.ColumnCount).Where(j => HasMissing(train.Column(j))).ToArray();
        IEstimator<ITransformer> chain = ml.Transforms.ReplaceMissingValues(Features, replacementMode: MissingValueReplacingEstimator.ReplacementMode.Mean);
        if (indicated.Length > 0)
        {
            // Indicators are computed before replacement; slots that are never missing in training are dropped by count.
            chain = ml.Transforms.IndicateMissingValues(IndicatorColumn, Features)
                .Append(ml.Transforms.Conversion.ConvertType(IndicatorColumn, outputKind: DataKind.Single))
                .Append(ml.Transforms.FeatureSelection.SelectFeaturesBasedOnCount(IndicatorColumn, count: 1))
                .Append(chain)
                .Append(ml.Transforms.Concatenate(Features, Features, IndicatorColumn));
        }

        var transformer = chain.Fit(new FeatureMatrixDataView(train, null));
        var imputation = new MissingValueImputation(ReadReplacements(transformer, train, indicated.Length), indicated);
        return (transformer, imputation);
    }

    /// <summary>Pushes one all-missing row through the fitted chain: its output is the replacements, then all-1 indicators.</summary>
    private static float[] ReadReplacements(ITransformer transformer, FeatureMatrix train, int indicators)
    {
        var probe = new FeatureMatrix(train.FeatureNames, [.. Enumerable.Range(0, train.ColumnCount).Select(_ => new[] { double.NaN })]);
        var output = transformer.Transform(new FeatureMatrixDataView(probe, null));
        var row = output.GetColumn<VBuffer<float>>(Features).Single().DenseValues().ToArray();
        var d = train.ColumnCount;
        if (row.Length != d + indicators || row.Take(d).Any(float.IsNaN) || row.Skip(d).Any(v => v != 1f))
        {
            throw new InvalidOperationException($"ML.NET's missing-value chain gave {row.Length} values for an all-missing row ({d} replacements and {indicators} indicators of 1 expected).");
        }

        return row[..d];
    }

    private static bool HasMissing(ReadOnlySpan<double> column)
    {
        foreach (var x in column)
        {
            if (double.IsNaN(x))
            {
                return true;
            }
        }

        return false;
    }
}
