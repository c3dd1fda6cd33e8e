namespace ChurnFlows.ML.Data;

/// <summary>A row the reader could not accept, with where and why.</summary>
/// <param name="Line">The 1-based line the record starts on.</param>
/// <param name="Column">The offending column, or null for a whole-record problem.</param>
/// <param name="Reason">What is wrong.</param>
public sealed record MalformedRow(int Line, string? Column, string Reason);

/// <summary>What reading a CSV found: rows accepted, rows rejected (with reasons) and missing columns.</summary>
public sealed record ParseReport
{
    /// <summary>At most this many malformed rows are listed; all are counted.</summary>
    public const int MaxListed = 100;

    /// <summary>Gets the number of data records read (excluding the header).</summary>
    public int RecordCount { get; init; }

    /// <summary>Gets the number of rows accepted into the dataset.</summary>
    public int AcceptedCount { get; init; }

    /// <summary>Gets the number of rows rejected.</summary>
    public int MalformedCount { get; init; }

    /// <summary>Gets the first <see cref="MaxListed"/> rejected rows.</summary>
    public IReadOnlyList<MalformedRow> MalformedRows { get; init; } = [];

    /// <summary>Gets required schema columns absent from the header.</summary>
    public IReadOnlyList<string> MissingColumns { get; init; } = [];

    /// <summary>Gets header columns the schema does not know (ignored).</summary>
    public IReadOnlyList<string> IgnoredColumns { get; init; } = [];

    /// <summary>Gets a file-level problem (empty file, no header), or null.</summary>
    public string? FileError { get; init; }

    /// <summary>Gets whether the file could be read at all (no file error, no missing required column).</summary>
    public bool IsReadable => FileError is null && MissingColumns.Count == 0;
}
