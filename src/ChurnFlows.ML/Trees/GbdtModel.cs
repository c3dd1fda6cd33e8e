using System.Text.Json;
using System.Text.Json.Serialization;
using ChurnFlows.ML.Data;

namespace ChurnFlows.ML.Trees;

/// <summary>
/// A trained gradient-boosted tree ensemble for binary classification. The raw score (log-odds) is
/// <see cref="InitScore"/> plus the sum of every tree's leaf value; the probability is its sigmoid.
/// Plain data: it round-trips through System.Text.Json (<see cref="ToJson"/>, <see cref="FromJson"/>)
/// and gives identical predictions afterwards. Immutable and thread-safe.
/// </summary>
public sealed class GbdtModel
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };
    private readonly RegressionTree[] _trees;
    private CompiledPredictor? _compiled;

    /// <summary>Creates a model from its parts (used by the trainer and by JSON deserialization).</summary>
    /// <param name="featureNames">The names of the features the trees index, in column order.</param>
    /// <param name="initScore">The starting raw score (log-odds of the weighted training label mean).</param>
    /// <param name="trees">The trees, in boosting order, leaf values already shrunk by the learning rate.</param>
    /// <param name="bestIteration">The iteration (1-based tree count) with the best validation metric; the tree count when there was no validation set.</param>
    /// <exception cref="ArgumentException">A tree splits on a feature index outside <paramref name="featureNames"/>, or the score is not finite.</exception>
    [JsonConstructor]
    public GbdtModel(IReadOnlyList<string> featureNames, double initScore, IReadOnlyList<RegressionTree> trees, int bestIteration)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(trees);
        if (!double.IsFinite(initScore))
        {
            throw new ArgumentException($"The init score must be finite; got {initScore}.", nameof(initScore));
        }

        for (var t = 0; t < trees.Count; t++)
        {
            ArgumentNullException.ThrowIfNull(trees[t], $"{nameof(trees)}[{t}]");
            foreach (var feature in trees[t].SplitFeatures)
            {
                if (feature >= featureNames.Count)
                {
                    throw new ArgumentException($"Tree {t} splits on feature {feature}, but the model has {featureNames.Count} features.", nameof(trees));
                }
            }
        }

        FeatureNames = [.. featureNames];
        InitScore = initScore;
        _trees = [.. trees];
        BestIteration = bestIteration;
    }

    /// <summary>Gets the feature names, in the column order rows must follow.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Gets the starting raw score (boost from average).</summary>
    public double InitScore { get; }

    /// <summary>Gets the trees in boosting order.</summary>
    public IReadOnlyList<RegressionTree> Trees => _trees;

    /// <summary>Gets the iteration with the best validation metric (the tree count without validation).</summary>
    public int BestIteration { get; }

    /// <summary>Gets the flattened, allocation-free predictor for this model (built once, on first use).</summary>
    [JsonIgnore]
    public CompiledPredictor Compiled => _compiled ??= new CompiledPredictor(this);

    /// <summary>Returns the raw score (log-odds) of one row.</summary>
    /// <param name="row">The row's features in <see cref="FeatureNames"/> order; NaN = missing.</param>
    /// <exception cref="ArgumentException">The row has fewer values than the model has features.</exception>
    public double PredictRaw(ReadOnlySpan<double> row) => Compiled.PredictRaw(row);

    /// <summary>Returns the probability of the positive class (churn) for one row.</summary>
    /// <param name="row">The row's features in <see cref="FeatureNames"/> order; NaN = missing.</param>
    public double PredictProbability(ReadOnlySpan<double> row) => Compiled.PredictProbability(row);

    /// <summary>Scores every row of a matrix in parallel and returns the probabilities.</summary>
    /// <exception cref="ArgumentException">The matrix has a different number of columns than the model has features.</exception>
    public double[] PredictProbabilities(FeatureMatrix features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var result = new double[features.RowCount];
        Compiled.PredictProbabilities(features, result);
        return result;
    }

    /// <summary>Returns each feature's total split gain and split count over all trees, by gain descending.</summary>
    public IReadOnlyList<FeatureImportance> GetFeatureImportance()
    {
        var gain = new double[FeatureNames.Count];
        var splits = new int[FeatureNames.Count];
        foreach (var tree in _trees)
        {
            for (var i = 0; i < tree.SplitFeatures.Count; i++)
            {
                gain[tree.SplitFeatures[i]] += tree.SplitGains[i];
                splits[tree.SplitFeatures[i]]++;
            }
        }

        var result = new FeatureImportance[FeatureNames.Count];
        for (var f = 0; f < result.Length; f++)
        {
            result[f] = new FeatureImportance(FeatureNames[f], gain[f], splits[f]);
        }

        Array.Sort(result, static (a, b) => b.Gain != a.Gain ? b.Gain.CompareTo(a.Gain) : string.CompareOrdinal(a.Name, b.Name));
        return result;
    }

    /// <summary>Serializes the model to JSON (plain arrays; thresholds in raw feature space).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a model written by <see cref="ToJson"/>.</summary>
    /// <exception cref="JsonException">The text is not a model.</exception>
    /// <exception cref="ArgumentException">The model's parts are inconsistent.</exception>
    public static GbdtModel FromJson(string json) =>
        JsonSerializer.Deserialize<GbdtModel>(json, JsonOptions) ?? throw new JsonException("The JSON text is 'null', not a GBDT model.");

    /// <summary>The logistic function, turning a raw score into a probability.</summary>
    public static double Sigmoid(double raw) => 1.0 / (1.0 + Math.Exp(-raw));
}
