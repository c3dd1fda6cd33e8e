using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ChurnFlows.Lifecycle.Monitoring;
using ChurnFlows.Lifecycle.Registry;

namespace ChurnFlows.Lifecycle.Tests.Monitoring;

public class PredictionLogJsonTests
{
    /// <summary>The store's serializer options, which read every line (and wrote the lines of earlier versions).</summary>
    private static readonly JsonSerializerOptions Store = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    [Fact]
    public void WriteLines_ManyEntries_AreTheSerializersLinesByteForByte_AndReadBackEqual()
    {
        var random = new Random(4);
        var entries = Enumerable.Range(0, 300).Select(i => new PredictionLogEntry(
            new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay)),
            i % 3 == 0 ? "v\u00e9<1>" : "v2",
            i % 5 == 0 ? string.Empty : $"C\"{i}\u00e9",
            random.NextDouble(),
            [.. Enumerable.Range(0, 21).Select(f => (f + i) % 4 == 0 ? double.NaN : f == 3 ? 1e-300 * i : random.NextDouble() * 1000)],
            i % 7 == 0 ? ModelStage.Staging : ModelStage.Production,
            i % 11 == 0 ? 1 + (i * 37) : 1)).ToList();
        var output = new ArrayBufferWriter<byte>();

        PredictionLogJson.WriteLines(entries, output);

        var expected = string.Concat(entries.Select(e => JsonSerializer.Serialize(e, Store) + "\n"));
        var written = Encoding.UTF8.GetString(output.WrittenSpan);
        Assert.Equal(expected, written);
        var read = written.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonSerializer.Deserialize<PredictionLogEntry>(l, Store)!).ToList();
        Assert.All(entries.Zip(read), p => Assert.Equal(p.First.Features, p.Second.Features));
        Assert.Equal(entries.Select(e => e.Weight), read.Select(e => e.Weight));
    }

    [Fact]
    public void Read_LineWrittenBeforeSamplingExisted_StandsForOnePrediction()
    {
        const string Line = "{\"at\":\"2026-05-01T12:00:00+00:00\",\"modelVersion\":\"v1\",\"customerId\":\"C1\",\"probability\":0.25,\"features\":[1,\"NaN\"],\"modelStage\":\"Production\"}";

        var entry = JsonSerializer.Deserialize<PredictionLogEntry>(Line, Store)!;

        Assert.Equal(1, entry.Weight);
    }
}
