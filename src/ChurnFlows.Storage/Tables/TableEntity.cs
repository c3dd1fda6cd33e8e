using System.Collections;
using System.Globalization;
using Azure;

namespace ChurnFlows.Storage.Tables;

/// <summary>
/// A table entity: partition key, row key, timestamp, ETag and typed properties (string, bool,
/// int, long, double, <see cref="DateTimeOffset"/>, <see cref="Guid"/>, byte[]). Not thread-safe.
/// </summary>
public sealed class TableEntity : IEnumerable<KeyValuePair<string, object?>>
{
    private readonly Dictionary<string, object?> _properties = new(StringComparer.Ordinal);

    /// <summary>Creates an entity with the given keys.</summary>
    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey ?? throw new ArgumentNullException(nameof(partitionKey));
        RowKey = rowKey ?? throw new ArgumentNullException(nameof(rowKey));
    }

    /// <summary>Gets or sets the partition key.</summary>
    public string PartitionKey { get; set; }

    /// <summary>Gets or sets the row key.</summary>
    public string RowKey { get; set; }

    /// <summary>Gets or sets the service timestamp (set on reads).</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>Gets or sets the ETag (set on reads and writes; used for If-Match).</summary>
    public ETag ETag { get; set; }

    /// <summary>Gets the number of user properties.</summary>
    public int Count => _properties.Count;

    /// <summary>Gets or sets a property; null removes nothing but is not sent.</summary>
    /// <exception cref="ArgumentException">The value's type is not one tables store.</exception>
    public object? this[string name]
    {
        get => _properties.GetValueOrDefault(name);
        set
        {
            if (value is not (null or string or bool or int or long or double or DateTimeOffset or DateTime or Guid or byte[]))
            {
                throw new ArgumentException($"Property '{name}' has type {value.GetType().Name}, which tables cannot store.", nameof(value));
            }

            _properties[name] = value is DateTime dt ? new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)) : value;
        }
    }

    /// <summary>Returns whether the entity has the property.</summary>
    public bool ContainsKey(string name) => _properties.ContainsKey(name);

    /// <summary>Removes a property.</summary>
    public bool Remove(string name) => _properties.Remove(name);

    /// <summary>Gets a string property, or null.</summary>
    public string? GetString(string name) => this[name] switch
    {
        null => null,
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString(),
    };

    /// <summary>Gets an integer property (stored as Int32 or Int64), or null.</summary>
    public long? GetInt64(string name) => this[name] switch
    {
        null => null,
        long l => l,
        int i => i,
        double d => (long)d,
        string s => long.Parse(s, CultureInfo.InvariantCulture),
        var other => throw WrongType(name, other, "an integer"),
    };

    /// <summary>Gets a 32-bit integer property, or null.</summary>
    public int? GetInt32(string name) => GetInt64(name) is { } value ? checked((int)value) : null;

    /// <summary>Gets a floating-point property, or null.</summary>
    public double? GetDouble(string name) => this[name] switch
    {
        null => null,
        double d => d,
        int i => i,
        long l => l,
        string s => double.Parse(s, CultureInfo.InvariantCulture),
        var other => throw WrongType(name, other, "a number"),
    };

    /// <summary>Gets a Boolean property, or null.</summary>
    public bool? GetBoolean(string name) => this[name] switch
    {
        null => null,
        bool b => b,
        var other => throw WrongType(name, other, "a Boolean"),
    };

    /// <summary>Gets a date-time property, or null.</summary>
    public DateTimeOffset? GetDateTimeOffset(string name) => this[name] switch
    {
        null => null,
        DateTimeOffset d => d,
        string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture),
        var other => throw WrongType(name, other, "a date-time"),
    };

    /// <summary>Gets a GUID property, or null.</summary>
    public Guid? GetGuid(string name) => this[name] switch
    {
        null => null,
        Guid g => g,
        string s => Guid.Parse(s),
        var other => throw WrongType(name, other, "a GUID"),
    };

    /// <summary>Gets a binary property, or null.</summary>
    public byte[]? GetBinary(string name) => this[name] switch
    {
        null => null,
        byte[] b => b,
        var other => throw WrongType(name, other, "binary"),
    };

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static InvalidOperationException WrongType(string name, object value, string wanted) =>
        new($"Property '{name}' holds {value.GetType().Name}, not {wanted}.");
}
