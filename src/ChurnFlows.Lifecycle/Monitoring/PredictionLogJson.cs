using System.Buffers;
using System.Text.Json;
using ChurnFlows.Lifecycle.Registry;

namespace ChurnFlows.Lifecycle.Monitoring;

/// <summary>
/// Writes prediction log lines without reflection, byte for byte what the store's serializer writes for a
/// <see cref="PredictionLogEntry"/> (camelCase names, the stage by name, a missing feature as <c>"NaN"</c>),
/// so the reader and every line written before stay as they are. At batch rates the serializer's per-entry
/// string and its copy to UTF-8 cost a share of the cores scoring needs.
/// </summary>
internal static class PredictionLogJson
{
    private static readonly JsonEncodedText At = JsonEncodedText.Encode("at");
    private static readonly JsonEncodedText ModelVersion = JsonEncodedText.Encode("modelVersion");
    private static readonly JsonEncodedText CustomerId = JsonEncodedText.Encode("customerId");
    private static readonly JsonEncodedText Probability = JsonEncodedText.Encode("probability");
    private static readonly JsonEncodedText Features = JsonEncodedText.Encode("features");
    private static readonly JsonEncodedText ModelStageName = JsonEncodedText.Encode("modelStage");
    private static readonly JsonEncodedText Weight = JsonEncodedText.Encode("weight");
    private static readonly JsonEncodedText NaN = JsonEncodedText.Encode("NaN");

    /// <summary>Writes <paramref name="entries"/> as JSON lines (each ended by a line feed) into <paramref name="output"/>.</summary>
    public static void WriteLines(IEnumerable<PredictionLogEntry> entries, ArrayBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output);
        foreach (var entry in entries)
        {
            writer.WriteStartObject();
            writer.WriteString(At, entry.At);
            writer.WriteString(ModelVersion, entry.ModelVersion);
            writer.WriteString(CustomerId, entry.CustomerId);
            WriteNumber(writer, Probability, entry.Probability);
            writer.WriteStartArray(Features);
            foreach (var feature in entry.Features)
            {
                if (double.IsFinite(feature))
                {
                    writer.WriteNumberValue(feature);
                }
                else
                {
                    writer.WriteStringValue(double.IsNaN(feature) ? NaN : JsonEncodedText.Encode(feature > 0 ? "Infinity" : "-Infinity"));
                }
            }

            writer.WriteEndArray();
            writer.WriteString(ModelStageName, entry.ModelStage == ModelStage.Production ? nameof(ModelStage.Production) : entry.ModelStage.ToString());
            writer.WriteNumber(Weight, entry.Weight);
            writer.WriteEndObject();
            writer.Flush();
            output.Write("\n"u8);
            writer.Reset(output);
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, JsonEncodedText name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteString(name, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }
}
