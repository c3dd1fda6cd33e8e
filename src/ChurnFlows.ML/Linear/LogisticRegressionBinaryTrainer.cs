using ChurnFlows.ML.Data;
using ChurnFlows.ML.Trees;

namespace ChurnFlows.ML.Linear;

/// <summary>
/// The baseline classifier: L2-regularized logistic regression fitted by Newton's method (IRLS) with
/// step halving, on features standardized with the training mean and standard deviation (missing
/// values imputed with the training mean). Deterministic for any thread count: rows are processed in
/// fixed blocks whose partial sums are added in order.
/// </summary>
public sealed partial class LogisticRegressionBinaryTrainer
{
    private const int BlockRows = 8192;
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
    /// <param name="weights">Optional non-negative row weights (empty = all 1).</param>
    /// <exception cref="ArgumentException">The labels or weights do not match the rows or are invalid.</exception>
    public LogisticRegressionModel Fit(FeatureMatrix features, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        TrainingInputs.Check(features, labels, weights, null, default, 0);
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

        var y = labels.ToArray();
        var w = weights.IsEmpty ? null : weights.ToArray();
        var problem = new NewtonProblem(z, y, w, _options.L2Regularization, BlockRows, _options.NumberOfThreads ?? Environment.ProcessorCount);
        var beta = problem.Solve(_options.MaximumNumberOfIterations, _options.OptimizationTolerance);
        return new LogisticRegressionModel(features.FeatureNames, means, scales, beta.AsSpan(0, d).ToArray(), beta[d]);
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
