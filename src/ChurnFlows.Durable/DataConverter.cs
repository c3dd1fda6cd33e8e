using System.Text.Json;

namespace ChurnFlows.Durable;

/// <summary>Turns inputs, outputs and event payloads into strings and back. Replaceable; JSON by default.</summary>
public abstract class DataConverter
{
    /// <summary>Serializes a value (null stays null).</summary>
    public abstract string? Serialize(object? value);

    /// <summary>Deserializes a value of <paramref name="type"/> (null in, default out).</summary>
    public abstract object? Deserialize(string? data, Type type);

    /// <summary>Deserializes a value of type <typeparamref name="T"/>.</summary>
    public T? Deserialize<T>(string? data) => (T?)Deserialize(data, typeof(T));
}

/// <summary>System.Text.Json with web defaults (camelCase, case-insensitive reads).</summary>
public sealed class JsonDataConverter : DataConverter
{
    private readonly JsonSerializerOptions _options;

    /// <summary>Creates a converter with the given or web-default options.</summary>
    public JsonDataConverter(JsonSerializerOptions? options = null) => _options = options ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);

    /// <summary>Gets the shared default instance.</summary>
    public static JsonDataConverter Default { get; } = new();

    /// <inheritdoc />
    public override string? Serialize(object? value) => value is null ? null : JsonSerializer.Serialize(value, value.GetType(), _options);

    /// <inheritdoc />
    public override object? Deserialize(string? data, Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return data is null ? null : JsonSerializer.Deserialize(data, type, _options);
    }
}
