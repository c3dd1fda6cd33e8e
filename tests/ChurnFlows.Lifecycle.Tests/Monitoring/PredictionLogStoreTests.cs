using Azure.Storage.Blobs.Specialized;
using ChurnFlows.Lifecycle.Monitoring;
using ChurnFlows.Lifecycle.Registry;
using ChurnFlows.TestKit;

namespace ChurnFlows.Lifecycle.Tests.Monitoring;

public class PredictionLogStoreTests
{
    private static readonly DateTimeOffset Noon = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(PredictionLogStore.DefaultPieceBytes)]
    public async Task StreamPredictionsAsync_AnyPieceSize_ReadsEveryEntryOfTheWindowOnce(int pieceBytes)
    {
        await using var c = await AzuriteFixture.NewContainerAsync();
        var store = new PredictionLogStore(c.Client, pieceBytes);
        var entries = Entries(400, Noon.AddHours(-2), TimeSpan.FromSeconds(30)); // 3 h 20 min: four hourly blobs per writer
        await store.AppendPredictionsAsync("writer-a", [.. entries.Where((_, i) => i % 3 != 0)]);
        await store.AppendPredictionsAsync("writer-b", [.. entries.Where((_, i) => i % 3 == 0)]);
        await store.AppendPredictionsAsync("writer-a", [.. Entries(50, Noon.AddHours(-2), TimeSpan.FromSeconds(7), "late")]); // appended blocks after the first

        var from = Noon.AddMinutes(-90);
        var to = Noon.AddMinutes(45);
        var streamed = await store.StreamPredictionsAsync(from, to).ToListAsync();

        var expected = entries.Concat(Entries(50, Noon.AddHours(-2), TimeSpan.FromSeconds(7), "late")).Where(e => e.At >= from && e.At <= to).ToList();
        Assert.Equal(expected.Count, streamed.Count);
        Assert.Equal(Keys(expected), Keys(streamed));
        Assert.All(streamed, e => Assert.Equal(21, e.Features.Length));
        Assert.Equal(expected.Sum(e => e.Weight), streamed.Sum(e => e.Weight));
    }

    [Fact]
    public async Task StreamPredictionsAsync_LastLineWithoutNewlineAndBlankLines_AreRead()
    {
        await using var c = await AzuriteFixture.NewContainerAsync();
        var blob = c.Client.GetAppendBlobClient("predictions/2026/05/01/12/hand.jsonl");
        await blob.CreateIfNotExistsAsync();
        await blob.AppendBlockAsync(BinaryData.FromString($"{Line("C1")}\r\n\n   \n{Line("C2")}").ToStream());

        var read = await new PredictionLogStore(c.Client, 16).StreamPredictionsAsync(Noon, Noon.AddHours(1)).ToListAsync();

        Assert.Equal(["C1", "C2"], read.Select(e => e.CustomerId));
    }

    [Theory]
    [InlineData("{\"at\":\"2026-05-01T12:00:00+00:00\",\"modelVersion\":\"v1\"")]
    [InlineData("{\"at\":\"2026-05-01T12:00:00+00:00\",\"modelVersion\":\"v1\",\"customerId\":\"C9\",\"probability\":0.5}")]
    [InlineData("{\"at\":\"2026-05-01T12:00:00+00:00\",\"modelVersion\":null,\"customerId\":\"C9\",\"probability\":0.5,\"features\":[1]}")]
    [InlineData("not json")]
    public async Task StreamPredictionsAsync_LineThatIsNotAnEntry_NamesTheBlobAndWhere(string bad)
    {
        await using var c = await AzuriteFixture.NewContainerAsync();
        var blob = c.Client.GetAppendBlobClient("predictions/2026/05/01/12/broken.jsonl");
        await blob.CreateIfNotExistsAsync();
        var first = Line("C1") + "\n";
        await blob.AppendBlockAsync(BinaryData.FromString(first + bad + "\n" + Line("C3") + "\n").ToStream());

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await new PredictionLogStore(c.Client, 32).StreamPredictionsAsync(Noon, Noon.AddHours(1)).ToListAsync());

        Assert.Contains("predictions/2026/05/01/12/broken.jsonl", error.Message, StringComparison.Ordinal);
        Assert.Contains($"at byte {first.Length} ", error.Message, StringComparison.Ordinal);
    }

    private static string Line(string customer) =>
        $"{{\"at\":\"2026-05-01T12:10:00+00:00\",\"modelVersion\":\"v1\",\"customerId\":\"{customer}\",\"probability\":0.5,\"features\":[1,\"NaN\"],\"modelStage\":\"Production\"}}";

    private static List<PredictionLogEntry> Entries(int count, DateTimeOffset start, TimeSpan step, string prefix = "C")
    {
        var random = new Random(count);
        return [.. Enumerable.Range(0, count).Select(i => new PredictionLogEntry(
            start + (step * i),
            i % 4 == 0 ? "v2" : "v1",
            $"{prefix}{i}",
            random.NextDouble(),
            [.. Enumerable.Range(0, 21).Select(f => f == i % 21 ? double.NaN : random.NextDouble() * 100)],
            i % 5 == 0 ? ModelStage.Staging : ModelStage.Production,
            1 + (i % 6)))];
    }

    private static List<string> Keys(IEnumerable<PredictionLogEntry> entries) =>
        [.. entries.Select(e => $"{e.CustomerId}|{e.At:O}|{e.ModelVersion}|{e.Probability:R}|{e.Weight}|{e.Features[3]:R}").Order(StringComparer.Ordinal)];
}
