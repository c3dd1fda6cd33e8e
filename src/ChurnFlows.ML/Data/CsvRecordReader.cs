using System.Text;

namespace ChurnFlows.ML.Data;

/// <summary>
/// Streams RFC 4180 records from text: quoted fields with doubled quotes, commas and line breaks
/// inside quotes, LF or CRLF endings, a UTF-8 byte-order mark. Reports the line each record starts on.
/// </summary>
public sealed class CsvRecordReader
{
    private readonly TextReader _reader;
    private readonly StringBuilder _field = new();
    private int _line = 1;

    /// <summary>Creates a reader over <paramref name="reader"/> (not disposed by this type).</summary>
    public CsvRecordReader(TextReader reader) => _reader = reader ?? throw new ArgumentNullException(nameof(reader));

    /// <summary>
    /// Reads the next record into <paramref name="fields"/> (cleared first). Returns false at the end.
    /// <paramref name="line"/> is the 1-based line the record starts on; <paramref name="error"/>
    /// describes a malformed record (an unterminated quote or text after a closing quote), else null.
    /// </summary>
    public bool TryRead(List<string> fields, out int line, out string? error)
    {
        ArgumentNullException.ThrowIfNull(fields);
        fields.Clear();
        error = null;
        line = _line;
        var c = _reader.Read();
        if (c == '\uFEFF' && _line == 1)
        {
            c = _reader.Read();
        }

        if (c < 0)
        {
            return false;
        }

        _field.Clear();
        var quoted = false;
        var afterQuote = false;
        while (true)
        {
            if (quoted)
            {
                if (c < 0)
                {
                    error ??= "a quoted field is not closed before the end of the file";
                    fields.Add(_field.ToString());
                    return true;
                }

                if (c == '"')
                {
                    if (_reader.Peek() == '"')
                    {
                        _reader.Read();
                        _field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                        afterQuote = true;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        _line++;
                    }

                    _field.Append((char)c);
                }
            }
            else if (c is ',' or '\n' or '\r' or -1)
            {
                fields.Add(_field.ToString());
                _field.Clear();
                afterQuote = false;
                if (c == ',')
                {
                    c = _reader.Read();
                    continue;
                }

                if (c == '\r' && _reader.Peek() == '\n')
                {
                    _reader.Read();
                }

                if (c != -1)
                {
                    _line++;
                }

                return true;
            }
            else if (c == '"' && _field.Length == 0 && !afterQuote)
            {
                quoted = true;
            }
            else
            {
                if (afterQuote)
                {
                    error ??= "text follows a closing quote";
                }

                _field.Append((char)c);
            }

            c = _reader.Read();
        }
    }
}
