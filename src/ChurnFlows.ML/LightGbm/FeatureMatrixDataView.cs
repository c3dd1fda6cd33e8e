using ChurnFlows.ML.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ChurnFlows.ML.LightGbm;

/// <summary>
/// A <see cref="FeatureMatrix"/> seen as an ML.NET <see cref="IDataView"/>, read in place (no copy, no CSV round
/// trip): a <c>Features</c> column of single-precision vectors and, when labels are given, a boolean <c>Label</c>.
/// With a <see cref="MissingValueImputation"/> the vectors are the imputed values followed by the missing-value
/// indicators, exactly what the fitted ML.NET imputation chain outputs, so tuning trials skip that chain per row.
/// </summary>
/// <remarks>
/// Cheaper than <c>LoadFromEnumerable</c> over cached row objects at 100k rows, which needs a float copy of the whole
/// matrix before the first pass (see the commit that introduced this view for the measurement).
/// </remarks>
internal sealed class FeatureMatrixDataView : IDataView
{
    /// <summary>The name of the feature vector column.</summary>
    public const string FeaturesColumn = "Features";

    /// <summary>The name of the label column.</summary>
    public const string LabelColumn = "Label";

    private readonly FeatureMatrix _features;
    private readonly float[]? _labels;
    private readonly MissingValueImputation? _imputation;
    private readonly int _width;

    public FeatureMatrixDataView(FeatureMatrix features, float[]? labels, MissingValueImputation? imputation = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (labels is not null && labels.Length != features.RowCount)
        {
            throw new ArgumentException($"There are {labels.Length} labels for {features.RowCount} rows.", nameof(labels));
        }

        _features = features;
        _labels = labels;
        _imputation = imputation;
        _width = features.ColumnCount + (imputation?.IndicatedFeatures.Count ?? 0);
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(FeaturesColumn, new VectorDataViewType(NumberDataViewType.Single, _width));
        if (labels is not null)
        {
            builder.AddColumn(LabelColumn, BooleanDataViewType.Instance);
        }

        Schema = builder.ToSchema();
    }

    /// <inheritdoc />
    public bool CanShuffle => false;

    /// <inheritdoc />
    public DataViewSchema Schema { get; }

    /// <inheritdoc />
    public long? GetRowCount() => _features.RowCount;

    /// <inheritdoc />
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, new HashSet<int>(columnsNeeded.Select(c => c.Index)));

    /// <inheritdoc />
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private void FillRow(int row, Span<float> values)
    {
        var d = _features.ColumnCount;
        for (var j = 0; j < d; j++)
        {
            values[j] = (float)_features[row, j];
        }

        if (_imputation is not { } imputation)
        {
            return;
        }

        var indicated = imputation.IndicatedFeatures;
        for (var k = 0; k < indicated.Count; k++)
        {
            values[d + k] = float.IsNaN(values[indicated[k]]) ? 1f : 0f;
        }

        var replacements = imputation.Replacements;
        for (var j = 0; j < d; j++)
        {
            if (float.IsNaN(values[j]))
            {
                values[j] = replacements[j];
            }
        }
    }

    private sealed class Cursor(FeatureMatrixDataView view, HashSet<int> active) : DataViewRowCursor
    {
        private int _row = -1;

        public override long Position => _row;

        public override long Batch => 0;

        public override DataViewSchema Schema => view.Schema;

        public override bool MoveNext() => ++_row < view._features.RowCount;

        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_row, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Name == FeaturesColumn && typeof(TValue) == typeof(VBuffer<float>))
            {
                ValueGetter<VBuffer<float>> features = (ref VBuffer<float> value) =>
                {
                    var editor = VBufferEditor.Create(ref value, view._width);
                    view.FillRow(_row, editor.Values);
                    value = editor.Commit();
                };
                return (ValueGetter<TValue>)(object)features;
            }

            if (column.Name == LabelColumn && view._labels is { } labels && typeof(TValue) == typeof(bool))
            {
                ValueGetter<bool> label = (ref bool value) => value = labels[_row] > 0.5f;
                return (ValueGetter<TValue>)(object)label;
            }

            throw new InvalidOperationException($"Column '{column.Name}' of type {typeof(TValue).Name} is not in this view.");
        }
    }
}
