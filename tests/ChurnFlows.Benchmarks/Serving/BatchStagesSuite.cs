using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ChurnFlows.Lifecycle;
using ChurnFlows.Lifecycle.Registry;
using ChurnFlows.Lifecycle.Serving;
using ChurnFlows.Lifecycle.Training;
using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Data;
using ChurnFlows.TestKit;

namespace ChurnFlows.Benchmarks.Serving;

/// <summary>
/// Where one 10,000-customer batch's server time goes, in process (no HTTP, no logging): reading the JSON
/// body (one pass over the UTF-8 bytes; tokenizing alone and parsing a document alone are timed beside it for comparison),
/// reading the same rows as CSV, blocked scoring, and writing the answer. Median of <c>--runs</c> (default 30).
/// The model (sample CSV, 1 trial, 300 rounds) is cached in the temp folder between runs.
/// Usage: <c>serving-batch [--runs N] [--only TEXT]</c> (<c>--only</c>: just the stages whose name holds TEXT, for profiling).
/// </summary>
public sealed class BatchStagesSuite : IBenchmarkSuite
{
    private const int Rows = 10_000;

    private static string? Only { get; set; }

    /// <inheritdoc />
    public string Name => "serving-batch";

    /// <inheritdoc />
    public string Description => "in-process cost of one 10,000-customer batch by stage: read JSON/CSV, score, write the answer";

    /// <inheritdoc />
    public Task<int> RunAsync(string[] args)
    {
        var runs = Option(args, "--runs") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 30;
        Only = Option(args, "--only");
        var csv = PeerScripts.SampleCsv(100_000);
        var models = Models(csv);
        var json = BatchLoad.CustomersJson(csv, Rows);
        var csvBody = BatchLoad.CustomersCsv(csv, Rows);
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, Converters = { new JsonStringEnumConverter() } };
        var timings = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        CustomerBatch batch = null!;
        IReadOnlyList<PredictionResult> results = null!;
        var errors = new List<FieldError>();
        for (var run = 0; run < runs + 3; run++)
        {
            batch = Time(timings, run, "read JSON (Utf8JsonReader, one pass)", () => JsonBatchReader.Read(json, models, errors).Batch!) ?? batch;
            Time(timings, run, "  of which tokenizing (Utf8JsonReader alone)", () => (object)Tokenize(json));
            Time(timings, run, "  compare: JsonDocument.Parse alone", () => (object)ParseDocument(json));
            Time(timings, run, "read CSV", () => CsvBatchReader.Read(new StringReader(Encoding.UTF8.GetString(csvBody)), models, errors)!);
            results = Time(timings, run, "score (blocked) + results", () => PredictionService.PredictBatch(batch, log: null, explain: false)) ?? results;
            Time(timings, run, "write answer (JsonSerializer)", () => JsonSerializer.SerializeToUtf8Bytes(results, web));
            Time(timings, run, "write answer (PredictionResultsJson)", () => Write(results, web));
            if (errors.Count > 0)
            {
                throw new InvalidOperationException($"the sample rows have problems: {errors[0]}");
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"One batch of {Rows:N0} customers ({json.Length:N0} B JSON, {csvBody.Length:N0} B CSV), median of {runs}, {Environment.ProcessorCount} cores:"));
        foreach (var (stage, times) in timings.Where(t => t.Value.Count > 0))
        {
            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {stage,-45} {times[times.Count / 2],8:F2} ms"));
        }

        return Task.FromResult(0);
    }

    private static string? Option(string[] args, string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    private static T? Time<T>(Dictionary<string, List<double>> timings, int run, string stage, Func<T> work)
        where T : class
    {
        if (run >= 3 && Only is { } only && !stage.Contains(only, StringComparison.Ordinal))
        {
            return null;
        }

        var clock = Stopwatch.StartNew();
        var result = work();
        if (run >= 3)
        {
            (timings.TryGetValue(stage, out var list) ? list : timings[stage] = []).Add(clock.Elapsed.TotalMilliseconds);
        }

        return result;
    }

    private static byte[] Write(IReadOnlyList<PredictionResult> results, JsonSerializerOptions options)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1 << 20);
        using (var writer = new Utf8JsonWriter(buffer, Functions.Http.PredictionResultsJson.WriterOptions(options)))
        {
            writer.WriteStartArray();
            foreach (var result in results)
            {
                Functions.Http.PredictionResultsJson.Write(writer, result);
            }

            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static int Tokenize(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        var tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    private static int ParseDocument(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetArrayLength();
    }

    private static ServingModels Models(string csv)
    {
        var cached = Path.Combine(Path.GetTempPath(), $"churnflows-serving-batch-{Path.GetFileNameWithoutExtension(csv)}.model");
        ModelArtifact artifact;
        if (File.Exists(cached))
        {
            artifact = ModelArtifactSerializer.Deserialize(File.ReadAllBytes(cached));
        }
        else
        {
            artifact = new TrainingService(new TrainingOptions { Trials = 1, MaximumIterations = 300 })
                .Train(DatasetReader.ReadFile(csv).Dataset, "batchstages", new ModelLineage { DatasetSha256 = Path.GetFileName(csv) }).Artifact;
            File.WriteAllBytes(cached, ModelArtifactSerializer.Serialize(artifact));
        }

        var account = AzuriteFixture.Connect("UseDevelopmentStorage=true");
        var store = new ModelStore(new ChurnContainers(account.Blobs).Models);
        using var cache = new ModelCache(store, new ModelRegistry(new ChurnTables(account.Tables).Models, store), TimeSpan.FromMinutes(1));
        return new ServingModels(ServingModel.From(artifact, ModelStage.Production), null, new CanaryRouter(cache, 0));
    }
}
