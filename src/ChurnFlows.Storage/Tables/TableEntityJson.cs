using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;

namespace ChurnFlows.Storage.Tables;

/// <summary>Writes and reads entities in the table service's JSON format with OData type annotations.</summary>
internal static class TableEntityJson
{
    /// <summary>The service limit on one property value (64 KiB).</summary>
    public const int MaxPropertyBytes = 64 * 1024;

    /// <summary>The service limit on one entity (1 MiB).</summary>
    public const int MaxEntityBytes = 1024 * 1024;

    public static byte[] Serialize(TableEntity entity, bool includeKeys = true)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (includeKeys)
            {
                writer.WriteString("PartitionKey", entity.PartitionKey);
                writer.WriteString("RowKey", entity.RowKey);
            }

            long size = Encoding.Unicode.GetByteCount(entity.PartitionKey) + Encoding.Unicode.GetByteCount(entity.RowKey);
            foreach (var (name, value) in entity)
            {
                size += Encoding.Unicode.GetByteCount(name) + 8 + WriteProperty(writer, name, value);
            }

            writer.WriteEndObject();
            if (size > MaxEntityBytes)
            {
                throw new ArgumentException($"Entity ({entity.PartitionKey}, {entity.RowKey}) is about {size:N0} bytes; an entity holds at most 1 MiB.", nameof(entity));
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static long WriteProperty(Utf8JsonWriter writer, string name, object? value)
    {
        switch (value)
        {
            case null:
                return 0;
            case string s:
                var bytes = Encoding.Unicode.GetByteCount(s);
                if (bytes > MaxPropertyBytes)
                {
                    throw new ArgumentException($"Property '{name}' is {bytes:N0} bytes as UTF-16; a table property holds at most 64 KiB.", nameof(value));
                }

                writer.WriteString(name, s);
                return bytes;
            case bool b:
                writer.WriteBoolean(name, b);
                return 1;
            case int i:
                writer.WriteNumber(name, i);
                return 4;
            case long l:
                writer.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                writer.WriteString(name + "@odata.type", "Edm.Int64");
                return 8;
            case double d:
                if (double.IsFinite(d))
                {
                    writer.WriteNumber(name, d);
                }
                else
                {
                    writer.WriteString(name, double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                }

                writer.WriteString(name + "@odata.type", "Edm.Double");
                return 8;
            case DateTimeOffset dt:
                writer.WriteString(name, dt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture));
                writer.WriteString(name + "@odata.type", "Edm.DateTime");
                return 8;
            case Guid g:
                writer.WriteString(name, g);
                writer.WriteString(name + "@odata.type", "Edm.Guid");
                return 16;
            case byte[] binary:
                if (binary.Length > MaxPropertyBytes)
                {
                    throw new ArgumentException($"Property '{name}' is {binary.Length:N0} bytes; a table property holds at most 64 KiB.", nameof(value));
                }

                writer.WriteBase64String(name, binary);
                writer.WriteString(name + "@odata.type", "Edm.Binary");
                return binary.Length;
            default:
                throw new ArgumentException($"Property '{name}' has unsupported type {value.GetType().Name}.", nameof(value));
        }
    }

    public static TableEntity Deserialize(JsonElement json, ETag? etagFromHeader = null)
    {
        var entity = new TableEntity(
            json.TryGetProperty("PartitionKey", out var pk) ? pk.GetString() ?? string.Empty : string.Empty,
            json.TryGetProperty("RowKey", out var rk) ? rk.GetString() ?? string.Empty : string.Empty);
        foreach (var property in json.EnumerateObject())
        {
            var name = property.Name;
            if (name is "PartitionKey" or "RowKey" || name.Contains('@', StringComparison.Ordinal) || name.StartsWith("odata.", StringComparison.Ordinal))
            {
                continue;
            }

            var type = json.TryGetProperty(name + "@odata.type", out var t) ? t.GetString() : null;
            var value = Read(property.Value, type);
            if (name == "Timestamp")
            {
                entity.Timestamp = value as DateTimeOffset? ?? (value is string s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture) : null);
                continue;
            }

            entity[name] = value;
        }

        if (json.TryGetProperty("odata.etag", out var etag) && etag.GetString() is { } tag)
        {
            entity.ETag = new ETag(tag);
        }
        else if (etagFromHeader is { } header)
        {
            entity.ETag = header;
        }

        return entity;
    }

    private static object? Read(JsonElement value, string? type) => type switch
    {
        "Edm.Int64" => long.Parse(value.GetString()!, CultureInfo.InvariantCulture),
        "Edm.Double" when value.ValueKind == JsonValueKind.String => double.Parse(value.GetString()!, CultureInfo.InvariantCulture),
        "Edm.Double" => value.GetDouble(),
        "Edm.DateTime" => DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        "Edm.Guid" => Guid.Parse(value.GetString()!),
        "Edm.Binary" => value.GetBytesFromBase64(),
        _ => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetInt32(out var i) => i,
            JsonValueKind.Number => value.GetDouble(),
            _ => null,
        },
    };
}
