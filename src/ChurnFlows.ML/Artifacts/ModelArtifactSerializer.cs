using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ChurnFlows.ML.Trees;

namespace ChurnFlows.ML.Artifacts;

/// <summary>
/// Writes and reads model files: the magic bytes <c>CFMODEL</c>, a format version byte, the SHA-256
/// of the payload, then the gzip-compressed JSON. Reading rejects a foreign, corrupt, truncated or
/// newer-format file with an <see cref="InvalidDataException"/> that says which.
/// </summary>
/// <remarks>
/// A file is written in the oldest format that holds it: <see cref="BaseFormatVersion"/> unless the
/// pipeline has categorical vocabularies, which need <see cref="FormatVersion"/>. Older builds still load
/// models without categoricals, and refuse (rather than misread) models whose categoricals they cannot encode.
/// </remarks>
public static class ModelArtifactSerializer
{
    /// <summary>The newest format version this build reads; written for models with categorical vocabularies.</summary>
    public const byte FormatVersion = 2;

    /// <summary>The format version of models without categorical vocabularies (every build reads it).</summary>
    public const byte BaseFormatVersion = 1;

    private static readonly byte[] Magic = "CFMODEL"u8.ToArray();
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Serializes an artifact to bytes.</summary>
    public static byte[] Serialize(ModelArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var node = JsonSerializer.SerializeToNode(ArtifactWithoutModel.From(artifact), Json)!.AsObject();
        node["model"] = JsonNode.Parse(artifact.Model.ToJson());
        var version = artifact.Pipeline.Vocabularies.Count > 0 ? FormatVersion : BaseFormatVersion;
        node["formatVersion"] = version;
        using var payload = new MemoryStream();
        using (var gzip = new GZipStream(payload, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(node.ToJsonString(Json)));
        }

        var body = payload.ToArray();
        return [.. Magic, version, .. SHA256.HashData(body), .. body];
    }

    /// <summary>Reads an artifact from bytes.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a ChurnFlows model, are corrupt or truncated, or use a newer format.</exception>
    public static ModelArtifact Deserialize(ReadOnlySpan<byte> bytes)
    {
        var header = Magic.Length + 1 + 32;
        if (bytes.Length < header || !bytes[..Magic.Length].SequenceEqual(Magic))
        {
            throw new InvalidDataException("This is not a ChurnFlows model file (the CFMODEL header is missing).");
        }

        var version = bytes[Magic.Length];
        if (version > FormatVersion)
        {
            throw new InvalidDataException($"The model file uses format version {version}; this build reads up to {FormatVersion}. Upgrade ChurnFlows to load it.");
        }

        var body = bytes[header..];
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.Slice(Magic.Length + 1, 32)))
        {
            throw new InvalidDataException("The model file is corrupt or truncated: its checksum does not match.");
        }

        try
        {
            using var gzip = new GZipStream(new MemoryStream(body.ToArray()), CompressionMode.Decompress);
            var node = JsonNode.Parse(gzip)!.AsObject();
            var model = GbdtModel.FromJson(node["model"]!.ToJsonString());
            node.Remove("model");
            node.Remove("formatVersion");
            var partial = node.Deserialize<ArtifactWithoutModel>(Json)
                ?? throw new InvalidDataException("The model file holds no artifact.");
            return partial.With(model);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException or NullReferenceException)
        {
            throw new InvalidDataException($"The model file is damaged: {e.Message}", e);
        }
    }

    /// <summary>The artifact's fields other than the trees, for reading.</summary>
    private sealed record ArtifactWithoutModel
    {
        public required string Version { get; init; }

        public DateTimeOffset CreatedAt { get; init; }

        public required Schema.DatasetSchema Schema { get; init; }

        public required Features.FeaturePipeline Pipeline { get; init; }

        public double Threshold { get; init; }

        public Evaluation.EvaluationReport? Metrics { get; init; }

        public IReadOnlyList<Drift.FeatureHistogram> ReferenceHistograms { get; init; } = [];

        public Drift.FeatureHistogram? PredictionHistogram { get; init; }

        public ModelLineage Lineage { get; init; } = new();

        public static ArtifactWithoutModel From(ModelArtifact a) => new()
        {
            Version = a.Version,
            CreatedAt = a.CreatedAt,
            Schema = a.Schema,
            Pipeline = a.Pipeline,
            Threshold = a.Threshold,
            Metrics = a.Metrics,
            ReferenceHistograms = a.ReferenceHistograms,
            PredictionHistogram = a.PredictionHistogram,
            Lineage = a.Lineage,
        };

        public ModelArtifact With(GbdtModel model) => new()
        {
            Version = Version,
            CreatedAt = CreatedAt,
            Schema = Schema,
            Pipeline = Pipeline,
            Model = model,
            Threshold = Threshold,
            Metrics = Metrics,
            ReferenceHistograms = ReferenceHistograms,
            PredictionHistogram = PredictionHistogram,
            Lineage = Lineage,
        };
    }
}
