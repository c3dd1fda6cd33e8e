using System.Text.Json;

namespace ChurnFlows.Lifecycle.Monitoring;

/// <summary>
/// Reads one JSON-lines blob that arrives in pieces: each complete line is parsed as soon as its piece arrives,
/// and a line cut by a piece boundary waits for the rest of it. Blank lines are skipped.
/// </summary>
/// <param name="blobName">The blob, named in errors.</param>
internal sealed class JsonLines(string blobName)
{
    private byte[] _partialLine = [];
    private long _partialLineOffset;

    /// <summary>Parses the complete lines that <paramref name="piece"/> (the next bytes of the blob) ends.</summary>
    /// <exception cref="InvalidDataException">A line is not a <typeparamref name="T"/>.</exception>
    public List<T> Read<T>(ReadOnlyMemory<byte> piece, JsonSerializerOptions options)
    {
        var data = _partialLine.Length == 0 ? piece.Span : [.. _partialLine, .. piece.Span];
        var entries = new List<T>();
        var start = 0;
        int length;
        while ((length = data[start..].IndexOf((byte)'\n')) >= 0)
        {
            Parse(data.Slice(start, length), _partialLineOffset + start, entries, options);
            start += length + 1;
        }

        _partialLineOffset += start;
        _partialLine = data[start..].ToArray();
        return entries;
    }

    /// <summary>Parses what is left after the last piece: a last line without its newline, if any.</summary>
    /// <exception cref="InvalidDataException">That line is not a <typeparamref name="T"/>.</exception>
    public List<T> ReadRest<T>(JsonSerializerOptions options)
    {
        var entries = new List<T>();
        Parse(_partialLine, _partialLineOffset, entries, options);
        _partialLineOffset += _partialLine.Length;
        _partialLine = [];
        return entries;
    }

    private void Parse<T>(ReadOnlySpan<byte> line, long offset, List<T> into, JsonSerializerOptions options)
    {
        line = line.TrimEnd((byte)'\r');
        if (line.IsEmpty || line.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0)
        {
            return;
        }

        try
        {
            if (JsonSerializer.Deserialize<T>(line, options) is { } entry)
            {
                into.Add(entry);
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{blobName}: the line at byte {offset} is not a valid {typeof(T).Name}: {e.Message}", e);
        }
    }
}
