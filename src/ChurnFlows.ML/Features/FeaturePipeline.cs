using ChurnFlows.ML.Data;
using ChurnFlows.ML.Schema;

namespace ChurnFlows.ML.Features;

/// <summary>
/// Turns dataset columns into model features exactly the same way in training and serving: every
/// value column passes through (dates as days before the reference date, categoricals as the codes of
/// their fitted <see cref="CategoryVocabulary"/>), plus the engineered churn features whose inputs the
/// schema has (recency, frequency, monetary, rates, flags, crosses). The fitted state (reference date,
/// definitions, vocabularies) is plain data stored in the model artifact.
/// </summary>
public sealed record FeaturePipeline
{
    /// <summary>Gets the input columns, in the order <see cref="TransformRow"/> expects values.</summary>
    public required IReadOnlyList<string> InputColumns { get; init; }

    /// <summary>Gets the features, in output order.</summary>
    public required IReadOnlyList<FeatureDefinition> Features { get; init; }

    /// <summary>Gets the reference date, as days since 1970-01-01 (the latest date seen in training).</summary>
    public required double ReferenceDay { get; init; }

    /// <summary>
    /// Gets the vocabulary of each categorical input column (empty for pipelines saved before
    /// vocabularies were stored; their categorical inputs are read as missing).
    /// </summary>
    public IReadOnlyList<CategoryVocabulary> Vocabularies { get; init; } = [];

    /// <summary>Gets the feature names, in output order.</summary>
    public IReadOnlyList<string> FeatureNames => [.. Features.Select(f => f.Name)];

    /// <summary>
    /// Fits the pipeline on training data: chooses features from the schema, fixes the reference date and
    /// fits each categorical column's vocabulary (its codes are ordered by the training rows' churn rates,
    /// so fit on the training part of a split only).
    /// </summary>
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
        var vocabularies = schema.Columns.Where(c => c.Kind == ColumnKind.Categorical)
            .Select(c => CategoryVocabulary.Fit(c.Name, training.Columns[c.Name], training.Vocabularies[c.Name], training.Labels))
            .ToList();
        return new FeaturePipeline { InputColumns = inputs, Features = features, ReferenceDay = reference, Vocabularies = vocabularies };
    }

    /// <summary>Returns the vocabulary of a categorical input column, or null.</summary>
    public CategoryVocabulary? VocabularyOf(string column)
    {
        // A plain loop: serving asks this for each explained feature, and should not allocate to do so.
        for (var i = 0; i < Vocabularies.Count; i++)
        {
            if (Vocabularies[i].Column == column)
            {
                return Vocabularies[i];
            }
        }

        return null;
    }

    /// <summary>
    /// Returns the category behind <paramref name="value"/> when feature <paramref name="feature"/> is an
    /// encoded categorical column (<see cref="CategoryVocabulary.OtherLabel"/> for "other"), else null.
    /// </summary>
    public string? CategoryOf(int feature, double value) =>
        Features[feature] is { Operation: FeatureOperation.Column } f && VocabularyOf(f.A) is { } vocabulary ? vocabulary.Decode(value) : null;

    /// <summary>Computes the feature matrix of a dataset read with the same schema.</summary>
    /// <exception cref="ArgumentException">The dataset lacks an input column.</exception>
    public FeatureMatrix Transform(TabularDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var inputs = InputColumns.Select(c => dataset.Columns.TryGetValue(c, out var values) ? Encode(dataset, c, values)
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
    /// Computes one row's features from its input values (in <see cref="InputColumns"/> order; a
    /// categorical input as its <see cref="CategoryVocabulary.Encode(string)"/> code) into
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

    /// <summary>A categorical column's dataset codes (indices into the dataset's own vocabulary) as this pipeline's codes.</summary>
    private double[] Encode(TabularDataset dataset, string column, double[] values)
    {
        if (!dataset.Vocabularies.TryGetValue(column, out var categories))
        {
            return values;
        }

        var vocabulary = VocabularyOf(column);
        var codes = categories.Select(c => vocabulary?.Encode(c) ?? double.NaN).ToArray();
        return [.. values.Select(v => double.IsNaN(v) ? double.NaN : codes[(int)v])];
    }

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
