using ChurnFlows.ML.Schema;

namespace ChurnFlows.ML.Data;

/// <summary>Accumulates parsed rows column by column; a row is added whole or not at all.</summary>
internal sealed class DatasetBuilder
{
    private readonly DatasetSchema _schema;
    private readonly IReadOnlyDictionary<string, int> _index;
    private readonly List<(ColumnSchema Column, int Field, List<double> Values)> _columns = [];
    private readonly Dictionary<string, (Dictionary<string, int> Codes, List<string> Vocabulary)> _categories = new(StringComparer.Ordinal);
    private readonly List<string> _ids = [];
    private readonly List<float> _labels = [];
    private readonly List<int> _lines = [];
    private readonly double[] _row;
    private readonly ColumnSchema _label;
    private readonly int _labelField;
    private readonly int _idField;

    public DatasetBuilder(DatasetSchema schema, IReadOnlyDictionary<string, int> index)
    {
        _schema = schema;
        _index = index;
        _label = schema.Label;
        _labelField = index.GetValueOrDefault(_label.Name, -1);
        var id = schema.Columns.FirstOrDefault(c => c.Kind == ColumnKind.Id);
        _idField = id is null ? -1 : index.GetValueOrDefault(id.Name, -1);
        foreach (var column in schema.Columns.Where(c => c.Kind is not (ColumnKind.Id or ColumnKind.Label)))
        {
            _columns.Add((column, index.GetValueOrDefault(column.Name, -1), []));
            if (column.Kind == ColumnKind.Categorical)
            {
                _categories[column.Name] = (new(StringComparer.Ordinal), []);
            }
        }

        _row = new double[_columns.Count];
    }

    public MalformedRow? TryAdd(List<string> fields, int line)
    {
        if (!ValueParser.TryParseBinary(fields[_labelField], out var label))
        {
            return new MalformedRow(line, _label.Name, $"label '{fields[_labelField]}' is not one of 1/0, yes/no, true/false");
        }

        var id = _idField >= 0 ? fields[_idField].Trim() : string.Empty;
        if (_idField >= 0 && id.Length == 0)
        {
            return new MalformedRow(line, _schema.Columns.First(c => c.Kind == ColumnKind.Id).Name, "the id is empty");
        }

        for (var j = 0; j < _columns.Count; j++)
        {
            var (column, field, _) = _columns[j];
            var text = field >= 0 ? fields[field] : string.Empty;
            if (column.Kind == ColumnKind.Categorical)
            {
                if (!TryCategory(column, text, out _row[j], out var categoryError))
                {
                    return new MalformedRow(line, column.Name, categoryError!);
                }
            }
            else if (!ValueParser.TryParse(column, text, out _row[j], out var error))
            {
                return new MalformedRow(line, column.Name, error!);
            }
        }

        for (var j = 0; j < _columns.Count; j++)
        {
            _columns[j].Values.Add(_row[j]);
        }

        _ids.Add(id);
        _labels.Add((float)label);
        _lines.Add(line);
        return null;
    }

    public TabularDataset Build() => new(
        _schema,
        _columns.ToDictionary(c => c.Column.Name, c => c.Values.ToArray(), StringComparer.Ordinal),
        _categories.ToDictionary(c => c.Key, c => (IReadOnlyList<string>)c.Value.Vocabulary, StringComparer.Ordinal),
        [.. _ids],
        [.. _labels],
        [.. _lines]);

    private bool TryCategory(ColumnSchema column, string text, out double code, out string? error)
    {
        error = null;
        code = double.NaN;
        if (ValueParser.IsMissing(text))
        {
            error = column.Nullable ? null : "a value is required";
            return column.Nullable;
        }

        var value = text.Trim();
        if (column.AllowedValues is { } allowed && !allowed.Contains(value, StringComparer.Ordinal))
        {
            error = $"'{value}' is not one of {string.Join(", ", allowed)}";
            return false;
        }

        var (codes, vocabulary) = _categories[column.Name];
        if (!codes.TryGetValue(value, out var c))
        {
            codes[value] = c = vocabulary.Count;
            vocabulary.Add(value);
        }

        code = c;
        return true;
    }
}
