namespace ChurnFlows.ML.Data;

/// <summary>
/// A dense, column-major matrix of numeric model features: what trainers consume and what the
/// feature pipeline produces. Missing values are <see cref="double.NaN"/>.
/// </summary>
/// <remarks>Column-major because training scans one feature at a time (binning, histograms).</remarks>
public sealed class FeatureMatrix
{
    private readonly double[][] _columns;

    /// <summary>Creates a matrix over the given columns (not copied; the caller hands them over).</summary>
    /// <param name="featureNames">One name per column.</param>
    /// <param name="columns">One array per feature, each of the same length.</param>
    /// <exception cref="ArgumentException">The names and columns disagree in count or length.</exception>
    public FeatureMatrix(IReadOnlyList<string> featureNames, double[][] columns)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(columns);
        if (featureNames.Count != columns.Length)
        {
            throw new ArgumentException($"{featureNames.Count} feature names were given for {columns.Length} columns.", nameof(featureNames));
        }

        var rows = columns.Length == 0 ? 0 : columns[0].Length;
        for (var j = 0; j < columns.Length; j++)
        {
            if (columns[j].Length != rows)
            {
                throw new ArgumentException($"Column '{featureNames[j]}' has {columns[j].Length} rows; expected {rows}.", nameof(columns));
            }
        }

        FeatureNames = featureNames;
        _columns = columns;
        RowCount = rows;
    }

    /// <summary>Gets the feature names, one per column.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Gets the number of rows.</summary>
    public int RowCount { get; }

    /// <summary>Gets the number of columns (features).</summary>
    public int ColumnCount => _columns.Length;

    /// <summary>Gets one value.</summary>
    public double this[int row, int column] => _columns[column][row];

    /// <summary>Gets one feature's values for every row.</summary>
    public ReadOnlySpan<double> Column(int column) => _columns[column];

    /// <summary>Copies one row's features into <paramref name="destination"/> (length ≥ <see cref="ColumnCount"/>).</summary>
    public void CopyRow(int row, Span<double> destination)
    {
        for (var j = 0; j < _columns.Length; j++)
        {
            destination[j] = _columns[j][row];
        }
    }

    /// <summary>Returns a new matrix holding the given rows, in the given order.</summary>
    public FeatureMatrix SelectRows(ReadOnlySpan<int> rows)
    {
        var columns = new double[_columns.Length][];
        for (var j = 0; j < _columns.Length; j++)
        {
            var source = _columns[j];
            var column = new double[rows.Length];
            for (var i = 0; i < rows.Length; i++)
            {
                column[i] = source[rows[i]];
            }

            columns[j] = column;
        }

        return new FeatureMatrix(FeatureNames, columns);
    }
}
