using ChurnFlows.ML.Data;
using ChurnFlows.ML.LightGbm;
using ChurnFlows.ML.Trees;
using Microsoft.ML;
using Microsoft.ML.Trainers;

namespace ChurnFlows.ML.Linear;

/// <summary>
/// The baseline classifier: L2-regularized logistic regression fitted by ML.NET's L-BFGS
/// (<see cref="LbfgsLogisticRegressionBinaryTrainer"/>), on features standardized with the training mean and
/// standard deviation (missing values imputed with the training mean). The learned weights are read back into a
/// <see cref="LogisticRegressionModel"/>, which scores without ML.NET.
/// </summary>
public sealed partial class LogisticRegressionBinaryTrainer
{
    private readonly Options _options;

    /// <summary>Creates a trainer with the default options.</summary>
    public LogisticRegressionBinaryTrainer()
        : this(new Options())
    {
    }

    /// <summary>Creates a trainer with the given options (copied).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public LogisticRegressionBinaryTrainer(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
    }

    /// <summary>Trains a model.</summary>
    /// <param name="features">The training rows (NaN = missing).</param>
    /// <param name="labels">One 0/1 label per row.</param>
    /// <exception cref="ArgumentException">The labels do not match the rows or are not 0/1.</exception>
    public LogisticRegressionModel Fit(FeatureMatrix features, ReadOnlySpan<float> labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        TrainingInputs.Check(features, labels, default, null, default, 0);
        var n = features.RowCount;
        var d = features.ColumnCount;
        var (means, scales) = Standardization(features);
        var z = new double[d][];
        for (var j = 0; j < d; j++)
        {
            var column = features.Column(j);
            var standardized = new double[n];
            for (var i = 0; i < n; i++)
            {
                standardized[i] = double.IsNaN(column[i]) ? 0 : (column[i] - means[j]) / scales[j];
            }

            z[j] = standardized;
        }

        var trainer = new MLContext(seed: 0).BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            LabelColumnName = FeatureMatrixDataView.LabelColumn,
            FeatureColumnName = FeatureMatrixDataView.FeaturesColumn,

            // ML.NET minimizes (Σ loss + λ'/2·‖w‖²) / Σ weights; ours is the mean loss + λ/2·‖w‖², so λ' = λ·n.
            L2Regularization = (float)(_options.L2Regularization * n),
            L1Regularization = 0,
            OptimizationTolerance = (float)_options.OptimizationTolerance,
            MaximumNumberOfIterations = _options.MaximumNumberOfIterations,
            NumberOfThreads = _options.NumberOfThreads,
        });
        var fitted = trainer.Fit(new FeatureMatrixDataView(new FeatureMatrix(features.FeatureNames, z), labels.ToArray()));

        // The probability is 1 / (1 + exp(Slope·(w·z + b) + Offset)): fold the calibration into weights and bias.
        var scale = -fitted.Model.Calibrator.Slope;
        var linear = fitted.Model.SubModel;
        var weights = linear.Weights.Select(w => scale * w).ToArray();
        return new LogisticRegressionModel(features.FeatureNames, means, scales, weights, (scale * linear.Bias) - fitted.Model.Calibrator.Offset);
    }
    private static (double[] Means, double[] Scales) Standardization(FeatureMatrix features)
    {
        var d = features.ColumnCount;
        var means = new double[d];
        var scales = new double[d];
        for (var j = 0; j < d; j++)
        {
            var column = features.Column(j);
            double sum = 0;
            var count = 0;
            foreach (var x in column)
            {
                if (!double.IsNaN(x))
                {
                    sum += x;
                    count++;
                }
            }

            var mean = count > 0 ? sum / count : 0;
            double squares = 0;
            foreach (var x in column)
            {
                if (!double.IsNaN(x))
                {
                    squares += (x - mean) * (x - mean);
                }
            }

            var std = count > 0 ? Math.Sqrt(squares / count) : 0;
            means[j] = mean;
            scales[j] = std > 1e-12 && double.IsFinite(std) ? std : 1.0;
        }

        return (means, scales);
    }
}
