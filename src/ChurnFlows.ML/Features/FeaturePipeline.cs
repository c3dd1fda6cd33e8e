using ChurnFlows.ML.Data;
using ChurnFlows.ML.Schema;

namespace ChurnFlows.ML.Features;

/// <summary>
/// Turns dataset columns into model features exactly the same way in training and serving: every
/// value column passes through (dates as days before the reference date), plus the engineered churn
/// features whose inputs the schema has (recency, frequency, monetary, rates, flags, crosses).
/// The fitted state (reference date, definitions) is plain data stored in the model artifact.
/// </summary>
public sealed record FeaturePipeline
{
    /// <summary>Gets the input columns, in the order <see cref="TransformRow"/> expects values.</summary>
    public required IReadOnlyList<string> InputColumns { get; init; }

    /// <summary>Gets the features, in output order.</summary>
    public required IReadOnlyList<FeatureDefinition> Features { get; init; }

    /// <summary>Gets the reference date, as days since 1970-01-01 (the latest date seen in training).</summary>
    public required double ReferenceDay { get; init; }

    /// <summary>Gets the feature names, in output order.</summary>
    public IReadOnlyList<string> FeatureNames => [.. Features.Select(f => f.Name)];

    /// <summary>Fits the pipeline on training data: chooses features from the schema and fixes the reference date.</summary>
    public static FeaturePipeline Fit(TabularDataset training)
    {
        ArgumentNullException.ThrowIfNull(training);
        var schema = training.Schema;
        var inputs = schema.Columns.Where(c => c.Kind is not (ColumnKind.Id or ColumnKind.Label)).Select(c => c.Name).ToList();
        var dates = schema.Columns.Where(c => c.Kind == ColumnKind.Date).Select(c => c.Name).ToList();
        var reference = dates.SelectMany(d => training.Columns[d]).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        var features = inputs.Select(name => new FeatureDefinition(
            dates.Contains(name) ? "days_since_" + name.Replace("_date", string.Empty, StringComparison.Ordinal) : name,
            dates.Contains(name) ? FeatureOperation.DaysBefore : FeatureOperation.Column,
            name)).ToList();
        features.AddRange(EngineeredChurnFeatures.For(inputs));
        return new FeaturePipeline { InputColumns = inputs, Features = features, ReferenceDay = reference };
    }

    /// <summary>Computes the feature matrix of a dataset read with the same schema.</summary>
    /// <exception cref="ArgumentException">The dataset lacks an input column.</exception>
    public FeatureMatrix Transform(TabularDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var inputs = InputColumns.Select(c => dataset.Columns.TryGetValue(c, out var values) ? values
            : throw new ArgumentException($"The dataset has no column '{c}', which the feature pipeline needs.", nameof(dataset))).ToArray();
        var compiled = Compile();
        var columns = new double[Features.Count][];
        for (var f = 0; f < columns.Length; f++)
        {
            var column = new double[dataset.RowCount];
            var (op, a, b, constant) = compiled[f];
            var aValues = inputs[a];
            var bValues = b >= 0 ? inputs[b] : aValues;
            for (var i = 0; i < column.Length; i++)
            {
                column[i] = Evaluate(op, aValues[i], bValues[i], constant, ReferenceDay);
            }

            columns[f] = column;
        }

        return new FeatureMatrix(FeatureNames, columns);
    }

    /// <summary>
    /// Computes one row's features from its input values (in <see cref="InputColumns"/> order) into
    /// <paramref name="features"/>; allocation-free, for serving.
    /// </summary>
    public void TransformRow(ReadOnlySpan<double> inputs, Span<double> features)
    {
        var compiled = _compiled ??= Compile();
        for (var f = 0; f < compiled.Length; f++)
        {
            var (op, a, b, constant) = compiled[f];
            features[f] = Evaluate(op, inputs[a], b >= 0 ? inputs[b] : inputs[a], constant, ReferenceDay);
        }
    }

    private (FeatureOperation Op, int A, int B, double Constant)[]? _compiled;

    private (FeatureOperation Op, int A, int B, double Constant)[] Compile()
    {
        int Index(string name) => InputColumns.ToList().IndexOf(name) is var i and >= 0 ? i
            : throw new InvalidOperationException($"Feature input '{name}' is not an input column of the pipeline.");
        return [.. Features.Select(f => (f.Operation, Index(f.A), f.B is null ? -1 : Index(f.B), f.Constant))];
    }

    private static double Evaluate(FeatureOperation op, double a, double b, double constant, double reference) => op switch
    {
        FeatureOperation.Column => a,
        FeatureOperation.DaysBefore => reference - a,
        FeatureOperation.Ratio => b == 0 || double.IsNaN(b) ? double.NaN : a / b,
        FeatureOperation.RatePerUnit => a / Math.Max(double.IsNaN(b) ? 1 : b, 1),
        FeatureOperation.Product => a == 0 ? 0 : a * b,
        FeatureOperation.DaysBeforeExceeds => double.IsNaN(a) ? double.NaN : reference - a > constant ? 1 : 0,
        _ => double.NaN,
    };
}
