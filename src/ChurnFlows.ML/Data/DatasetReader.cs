using System.Text;
using ChurnFlows.ML.Schema;

namespace ChurnFlows.ML.Data;

/// <summary>The outcome of reading a CSV: the accepted rows and the report of everything else.</summary>
/// <param name="Dataset">The accepted rows (empty when the file was unreadable).</param>
/// <param name="Report">Counts, rejected rows with line numbers, missing and ignored columns.</param>
public sealed record DatasetReadResult(TabularDataset Dataset, ParseReport Report);

/// <summary>
/// Reads a CSV into a <see cref="TabularDataset"/> against a schema, streaming. Header names map
/// columns in any order; unknown columns are ignored; malformed rows are rejected and reported
/// with their line and reason, never dropped silently and never thrown.
/// </summary>
public static class DatasetReader
{
    /// <summary>Reads CSV text from a stream (UTF-8, BOM allowed).</summary>
    public static DatasetReadResult Read(Stream csv, DatasetSchema? schema = null)
    {
        ArgumentNullException.ThrowIfNull(csv);
        using var reader = new StreamReader(csv, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        return Read(reader, schema);
    }

    /// <summary>Reads CSV text.</summary>
    public static DatasetReadResult Read(TextReader csv, DatasetSchema? schema = null)
    {
        schema ??= DatasetSchema.StandardChurn;
        var records = new CsvRecordReader(csv);
        var fields = new List<string>();
        if (!records.TryRead(fields, out _, out _) || fields.All(string.IsNullOrWhiteSpace))
        {
            return Unreadable(schema, new ParseReport { FileError = "The file is empty: no header row." });
        }

        var header = fields.Select(f => f.Trim()).ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            index.TryAdd(header[i], i);
        }

        var missing = schema.Columns.Where(c => c.Required && !index.ContainsKey(c.Name)).Select(c => c.Name).ToList();
        var ignored = header.Where(h => schema.Find(h) is null).ToList();
        if (missing.Count > 0)
        {
            return Unreadable(schema, new ParseReport { MissingColumns = missing, IgnoredColumns = ignored });
        }

        var builder = new DatasetBuilder(schema, index);
        var malformed = new List<MalformedRow>();
        int records_ = 0, malformedCount = 0;
        while (records.TryRead(fields, out var line, out var error))
        {
            if (fields.Count == 1 && fields[0].Length == 0)
            {
                continue; // blank line
            }

            records_++;
            var problem = error is not null ? new MalformedRow(line, null, error)
                : fields.Count != header.Count ? new MalformedRow(line, null, $"has {fields.Count} fields; the header has {header.Count}")
                : builder.TryAdd(fields, line);
            if (problem is not null)
            {
                malformedCount++;
                if (malformed.Count < ParseReport.MaxListed)
                {
                    malformed.Add(problem);
                }
            }
        }

        var dataset = builder.Build();
        return new DatasetReadResult(dataset, new ParseReport
        {
            RecordCount = records_,
            AcceptedCount = dataset.RowCount,
            MalformedCount = malformedCount,
            MalformedRows = malformed,
            IgnoredColumns = ignored,
        });
    }

    /// <summary>Reads a CSV file.</summary>
    public static DatasetReadResult ReadFile(string path, DatasetSchema? schema = null)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, schema);
    }

    private static DatasetReadResult Unreadable(DatasetSchema schema, ParseReport report) =>
        new(new DatasetBuilder(schema, new Dictionary<string, int>()).Build(), report);
}
