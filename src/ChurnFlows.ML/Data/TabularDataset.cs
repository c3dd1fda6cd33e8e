using ChurnFlows.ML.Schema;

namespace ChurnFlows.ML.Data;

/// <summary>
/// A columnar dataset read against a schema: every non-id column as doubles (NaN = missing;
/// dates as days since 1970-01-01; Booleans 1/0; categoricals as codes into a vocabulary), ids as
/// strings and labels as 0/1, plus each row's source line for reports.
/// </summary>
public sealed class TabularDataset
{
    internal TabularDataset(DatasetSchema schema, Dictionary<string, double[]> columns, Dictionary<string, IReadOnlyList<string>> vocabularies, string[] ids, float[] labels, int[] lines)
    {
        Schema = schema;
        Columns = columns;
        Vocabularies = vocabularies;
        Ids = ids;
        Labels = labels;
        SourceLines = lines;
    }

    /// <summary>Gets the schema the data was read with.</summary>
    public DatasetSchema Schema { get; }

    /// <summary>Gets the number of rows.</summary>
    public int RowCount => Labels.Length;

    /// <summary>Gets the value columns by name (every column but the id and label columns).</summary>
    public IReadOnlyDictionary<string, double[]> Columns { get; }

    /// <summary>Gets the vocabulary of each categorical column (code = index).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Vocabularies { get; }

    /// <summary>Gets the record ids (empty strings when the schema has no id column).</summary>
    public IReadOnlyList<string> Ids { get; }

    /// <summary>Gets the labels, 0 or 1.</summary>
    public float[] Labels { get; }

    /// <summary>Gets the 1-based CSV line of each row.</summary>
    public IReadOnlyList<int> SourceLines { get; }

    /// <summary>Gets the share of rows labelled 1.</summary>
    public double PositiveRate => RowCount == 0 ? 0 : Labels.Average(l => (double)l);

    /// <summary>Returns a dataset with the given rows, in the given order.</summary>
    public TabularDataset SelectRows(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var columns = Columns.ToDictionary(c => c.Key, c => rows.Select(r => c.Value[r]).ToArray(), StringComparer.Ordinal);
        return new TabularDataset(
            Schema,
            columns,
            Vocabularies.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal),
            [.. rows.Select(r => Ids[r])],
            [.. rows.Select(r => Labels[r])],
            [.. rows.Select(r => SourceLines[r])]);
    }
}
