using System.Text;

namespace ChurnFlows.Storage.Tables;

/// <summary>
/// Escapes arbitrary strings (instance ids, blob names) into valid partition and row keys, which
/// may not contain '/', '\', '#', '?' or control characters. Reversible: '^' is the escape character.
/// </summary>
public static class TableKey
{
    /// <summary>Escapes <paramref name="value"/> into a valid key.</summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny("/\\#?^") < 0 && !value.Any(char.IsControl))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            switch (c)
            {
                case '/': builder.Append("^0"); break;
                case '\\': builder.Append("^1"); break;
                case '#': builder.Append("^2"); break;
                case '?': builder.Append("^3"); break;
                case '^': builder.Append("^^"); break;
                case var control when char.IsControl(control): builder.Append('^').Append((char)(control + 'À')); break;
                default: builder.Append(c); break;
            }
        }

        return builder.ToString();
    }

    /// <summary>Reverses <see cref="Escape"/>.</summary>
    /// <exception cref="FormatException">The key ends in a lone escape character.</exception>
    public static string Unescape(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.Contains('^', StringComparison.Ordinal))
        {
            return key;
        }

        var builder = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] != '^')
            {
                builder.Append(key[i]);
                continue;
            }

            if (++i == key.Length)
            {
                throw new FormatException($"Key '{key}' ends with a lone '^'.");
            }

            builder.Append(key[i] switch
            {
                '0' => '/',
                '1' => '\\',
                '2' => '#',
                '3' => '?',
                '^' => '^',
                var shifted => (char)(shifted - 'À'),
            });
        }

        return builder.ToString();
    }
}
