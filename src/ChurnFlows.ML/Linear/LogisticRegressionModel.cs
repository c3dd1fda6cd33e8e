using System.Text.Json;
using System.Text.Json.Serialization;
using ChurnFlows.ML.Data;

namespace ChurnFlows.ML.Linear;

/// <summary>
/// A trained L2 logistic regression over standardized features: each value becomes
/// <c>(x − mean) / scale</c>, a missing value becomes 0 (the training mean), and the raw score is
/// <c>Bias + Σ Weights[j]·z[j]</c>. Plain data that round-trips through System.Text.Json. Thread-safe.
/// </summary>
public sealed class LogisticRegressionModel
{
    private static readonly JsonSerializerOptions JsonOptions = new();
    private readonly double[] _means;
    private readonly double[] _scales;
    private readonly double[] _weights;

    /// <summary>Creates a model from its parts (used by the trainer and by JSON deserialization).</summary>
    /// <param name="featureNames">The feature names, in column order.</param>
    /// <param name="means">Per feature, the training mean (also the value imputed for missing).</param>
    /// <param name="scales">Per feature, the training standard deviation (1 for constant features).</param>
    /// <param name="weights">Per feature, the coefficient on the standardized value.</param>
    /// <param name="bias">The intercept.</param>
    /// <exception cref="ArgumentException">The arrays disagree in length, or a value is not finite / a scale not positive.</exception>
    [JsonConstructor]
    public LogisticRegressionModel(IReadOnlyList<string> featureNames, IReadOnlyList<double> means, IReadOnlyList<double> scales, IReadOnlyList<double> weights, double bias)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(scales);
        ArgumentNullException.ThrowIfNull(weights);
        var n = featureNames.Count;
        if (means.Count != n || scales.Count != n || weights.Count != n)
        {
            throw new ArgumentException($"means ({means.Count}), scales ({scales.Count}) and weights ({weights.Count}) must each have one entry per feature ({n}).", nameof(featureNames));
        }

        for (var j = 0; j < n; j++)
        {
            if (!double.IsFinite(means[j]) || !double.IsFinite(weights[j]) || !(scales[j] > 0) || !double.IsFinite(scales[j]))
            {
                throw new ArgumentException($"Feature '{featureNames[j]}' has mean {means[j]}, scale {scales[j]}, weight {weights[j]}; all must be finite and the scale positive.", nameof(scales));
            }
        }

        if (!double.IsFinite(bias))
        {
            throw new ArgumentException($"The bias must be finite; got {bias}.", nameof(bias));
        }

        FeatureNames = [.. featureNames];
        _means = [.. means];
        _scales = [.. scales];
        _weights = [.. weights];
        Bias = bias;
    }

    /// <summary>Gets the feature names, in the column order rows must follow.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Gets each feature's training mean (the value imputed for missing).</summary>
    public IReadOnlyList<double> Means => _means;

    /// <summary>Gets each feature's training standard deviation.</summary>
    public IReadOnlyList<double> Scales => _scales;

    /// <summary>Gets each feature's coefficient on the standardized value.</summary>
    public IReadOnlyList<double> Weights => _weights;

    /// <summary>Gets the intercept.</summary>
    public double Bias { get; }

    /// <summary>Returns the raw score (log-odds) of one row.</summary>
    /// <exception cref="ArgumentException">The row has fewer values than the model has features.</exception>
    public double PredictRaw(ReadOnlySpan<double> row)
    {
        if (row.Length < _weights.Length)
        {
            throw new ArgumentException($"The row has {row.Length} values; the model needs {_weights.Length}.", nameof(row));
        }

        var sum = Bias;
        for (var j = 0; j < _weights.Length; j++)
        {
            var x = row[j];
            if (!double.IsNaN(x))
            {
                sum += _weights[j] * (x - _means[j]) / _scales[j];
            }
        }

        return sum;
    }

    /// <summary>Returns the probability of the positive class for one row.</summary>
    public double PredictProbability(ReadOnlySpan<double> row) => 1.0 / (1.0 + Math.Exp(-PredictRaw(row)));

    /// <summary>Returns the probability of the positive class for every row of a matrix.</summary>
    /// <exception cref="ArgumentException">The matrix has a different column count than the model.</exception>
    public double[] PredictProbabilities(FeatureMatrix features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.ColumnCount != _weights.Length)
        {
            throw new ArgumentException($"The matrix has {features.ColumnCount} columns; the model needs {_weights.Length}.", nameof(features));
        }

        var raw = new double[features.RowCount];
        Array.Fill(raw, Bias);
        for (var j = 0; j < _weights.Length; j++)
        {
            var column = features.Column(j);
            var factor = _weights[j] / _scales[j];
            var mean = _means[j];
            for (var i = 0; i < raw.Length; i++)
            {
                var x = column[i];
                if (!double.IsNaN(x))
                {
                    raw[i] += factor * (x - mean);
                }
            }
        }

        for (var i = 0; i < raw.Length; i++)
        {
            raw[i] = 1.0 / (1.0 + Math.Exp(-raw[i]));
        }

        return raw;
    }

    /// <summary>Serializes the model to JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a model written by <see cref="ToJson"/>.</summary>
    /// <exception cref="JsonException">The text is not a model.</exception>
    public static LogisticRegressionModel FromJson(string json) =>
        JsonSerializer.Deserialize<LogisticRegressionModel>(json, JsonOptions) ?? throw new JsonException("The JSON text is 'null', not a logistic regression model.");
}
