using System.Text.Json;

namespace ChurnFlows.Lifecycle.Monitoring;

/// <summary>
/// Reads one JSON-lines blob that arrives in pieces: each complete line is parsed where it lies in its piece,
/// and only a line cut by a piece boundary is copied, to be joined with the rest of it. Blank lines are skipped.
/// </summary>
/// <param name="blobName">The blob, named in errors.</param>
internal sealed class JsonLines(string blobName)
{
    private byte[] _partialLine = [];
    private long _partialLineOffset;
    private long _pieceOffset;

    /// <summary>Parses the complete lines that <paramref name="piece"/> (the next bytes of the blob) ends.</summary>
    /// <exception cref="InvalidDataException">A line is not a <typeparamref name="T"/>.</exception>
    public List<T> Read<T>(ReadOnlyMemory<byte> piece, JsonSerializerOptions options)
    {
        var data = piece.Span;
        var entries = new List<T>();
        var start = 0;
        int length;
        while ((length = data[start..].IndexOf((byte)'\n')) >= 0)
        {
            if (_partialLine.Length > 0)
            {
                Parse([.. _partialLine, .. data[..length]], _partialLineOffset, entries, options);
                _partialLine = [];
            }
            else
            {
                Parse(data.Slice(start, length), _pieceOffset + start, entries, options);
            }

            start += length + 1;
        }

        if (start < data.Length)
        {
            _partialLineOffset = _partialLine.Length > 0 ? _partialLineOffset : _pieceOffset + start;
            _partialLine = [.. _partialLine, .. data[start..]];
        }

        _pieceOffset += data.Length;
        return entries;
    }

    /// <summary>Parses what is left after the last piece: a last line without its newline, if any.</summary>
    /// <exception cref="InvalidDataException">That line is not a <typeparamref name="T"/>.</exception>
    public List<T> ReadRest<T>(JsonSerializerOptions options)
    {
        var entries = new List<T>();
        Parse(_partialLine, _partialLineOffset, entries, options);
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
