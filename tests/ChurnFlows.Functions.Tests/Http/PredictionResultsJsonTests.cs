using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using ChurnFlows.Functions.Http;
using ChurnFlows.Lifecycle.Registry;
using ChurnFlows.Lifecycle.Serving;

namespace ChurnFlows.Functions.Tests.Http;

public class PredictionResultsJsonTests
{
    /// <summary>The API's serializer options, as Program configures them.</summary>
    private static readonly JsonSerializerOptions Api = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter() },
    };

    [Fact]
    public void Write_ManyKindsOfResults_IsByteForByteWhatTheSerializerWrites()
    {
        var random = new Random(3);
        PredictionReason[] reasons =
        [
            new("days_since_last_login", 558, 3.258080341894309),
            new("plan", 2, -0.1, "pl\u00e4tinum <&>'+\""),
            new("total_spent", null, 1e-300, "(other)"),
        ];
        var results = new List<PredictionResult>
        {
            new("C42", 0.9856551432632537, true, 0.9790133192409395, "v1", ModelStage.Production, reasons),
            new(null, 0, false, 1, "v1", ModelStage.Staging, []),
            new("C\u00e9\"<script>\\\u0001\ud83d\ude00", 1, true, 0, "v-\u00e9", ModelStage.Archived, [reasons[1]]),
            new("", 1e-7, false, 0.30000000000000004, "v2", ModelStage.None, []),
        };
        results.AddRange(Enumerable.Range(0, 200).Select(i => new PredictionResult($"C{i}", random.NextDouble(), i % 2 == 0, random.NextDouble() * 1e-5, "v3", ModelStage.Production, [])));
        var written = new ArrayBufferWriter<byte>();

        using (var writer = new Utf8JsonWriter(written, PredictionResultsJson.WriterOptions(Api)))
        {
            writer.WriteStartArray();
            results.ForEach(r => PredictionResultsJson.Write(writer, r));
            writer.WriteEndArray();
        }

        Assert.Equal(JsonSerializer.Serialize<IReadOnlyList<PredictionResult>>(results, Api), System.Text.Encoding.UTF8.GetString(written.WrittenSpan));
    }
}
