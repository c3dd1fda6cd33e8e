using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Drift;
using ChurnFlows.ML.Evaluation;
using ChurnFlows.ML.Features;
using ChurnFlows.ML.Synthetic;
using ChurnFlows.ML.Trees;
using ChurnFlows.TestKit;
using Xunit;

namespace ChurnFlows.ML.Tests.Artifacts;

public class ModelArtifactSerializerTests
{
    private static (ModelArtifact Artifact, FeatureMatrix X) Train()
    {
        var data = SyntheticChurnGenerator.Generate(new() { Rows = 2000 });
        var pipeline = FeaturePipeline.Fit(data);
        var x = pipeline.Transform(data);
        var model = new GbdtBinaryTrainer(new() { NumberOfIterations = 20 }).Fit(x, data.Labels);
        var p = model.PredictProbabilities(x);
        return (new ModelArtifact
        {
            Version = "v0001",
            Schema = data.Schema,
            Pipeline = pipeline,
            Model = model,
            Threshold = 0.37,
            Metrics = BinaryClassificationEvaluator.Evaluate(p, data.Labels),
            ReferenceHistograms = FeatureHistogram.FitAll(x),
            PredictionHistogram = FeatureHistogram.Fit("prediction", p),
            Lineage = new ModelLineage { DatasetSha256 = "abc", Parameters = new Dictionary<string, string> { ["leaves"] = "31" }, TrainingRows = 2000 },
        }, x);
    }

    [Fact]
    public void Deserialize_RoundTrip_IdenticalPredictionsAndMetadata()
    {
        var (artifact, x) = Train();

        var back = ModelArtifactSerializer.Deserialize(ModelArtifactSerializer.Serialize(artifact));

        Assert.Equal(artifact.Model.PredictProbabilities(x), back.Model.PredictProbabilities(x));
        Assert.Equal(artifact.Pipeline.Transform(SyntheticChurnGenerator.Generate(new() { Rows = 50, Seed = 9 })).Column(3).ToArray(),
            back.Pipeline.Transform(SyntheticChurnGenerator.Generate(new() { Rows = 50, Seed = 9 })).Column(3).ToArray());
        Assert.Equal(0.37, back.Threshold);
        Assert.Equal(artifact.Metrics!.AreaUnderRocCurve, back.Metrics!.AreaUnderRocCurve);
        Assert.Equal(artifact.ReferenceHistograms[0].Counts, back.ReferenceHistograms[0].Counts);
        Assert.Equal("31", back.Lineage.Parameters["leaves"]);
        Assert.Equal(artifact.Schema.Columns, back.Schema.Columns);
    }

    [Fact]
    public void Deserialize_CategoricalModel_KeepsVocabularies_AndPredictsIdentically_UnknownAndMissingIncluded()
    {
        static TabularDataset Read(string csv) => DatasetReader.Read(new StringReader(csv), PlanChurnData.Schema).Dataset;
        var data = Read(PlanChurnData.ToCsv(2_000, seed: 1));
        var pipeline = FeaturePipeline.Fit(data);
        var artifact = new ModelArtifact
        {
            Version = "v0002",
            Schema = data.Schema,
            Pipeline = pipeline,
            Model = new GbdtBinaryTrainer(new() { NumberOfIterations = 30 }).Fit(pipeline.Transform(data), data.Labels),
        };

        var bytes = ModelArtifactSerializer.Serialize(artifact);
        var back = ModelArtifactSerializer.Deserialize(bytes);

        Assert.Equal(ModelArtifactSerializer.FormatVersion, bytes[7]);
        Assert.Equal(pipeline.VocabularyOf("plan")!.Codes.OrderBy(c => c.Value), back.Pipeline.VocabularyOf("plan")!.Codes.OrderBy(c => c.Value));
        Assert.Equal(pipeline.VocabularyOf("plan")!.OtherCode, back.Pipeline.VocabularyOf("plan")!.OtherCode);
        var serving = Read(PlanChurnData.ToCsv(300, seed: 9) + "Z1,platinum,12,30.00,0\nZ2,,12,30.00,0\n");
        Assert.Equal(artifact.Model.PredictProbabilities(pipeline.Transform(serving)), back.Model.PredictProbabilities(back.Pipeline.Transform(serving)));
    }

    [Fact]
    public void Serialize_ModelWithoutCategoricals_KeepsTheBaseFormat_AndAFileFromBeforeVocabulariesLoads()
    {
        var (artifact, x) = Train();
        var bytes = ModelArtifactSerializer.Serialize(artifact);

        var back = ModelArtifactSerializer.Deserialize(WithoutVocabularies(bytes));

        Assert.Equal(ModelArtifactSerializer.BaseFormatVersion, bytes[7]);
        Assert.Empty(back.Pipeline.Vocabularies);
        Assert.Equal(artifact.Model.PredictProbabilities(x), back.Model.PredictProbabilities(back.Pipeline.Transform(SyntheticChurnGenerator.Generate(new() { Rows = 2000 }))));
    }

    /// <summary>The same model as a format-1 file written before pipelines had vocabularies (no such key at all).</summary>
    private static byte[] WithoutVocabularies(byte[] file)
    {
        JsonObject node;
        using (var gzip = new GZipStream(new MemoryStream(file[40..]), CompressionMode.Decompress))
        {
            node = JsonNode.Parse(gzip)!.AsObject();
        }

        Assert.True(node["pipeline"]!.AsObject().Remove("vocabularies"));
        using var payload = new MemoryStream();
        using (var gzip = new GZipStream(payload, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(node.ToJsonString()));
        }

        var body = payload.ToArray();
        return [.. file[..7], 1, .. SHA256.HashData(body), .. body];
    }

    [Fact]
    public void Deserialize_CorruptTruncatedForeignOrNewer_ThrowsSayingWhich()
    {
        var bytes = ModelArtifactSerializer.Serialize(Train().Artifact);
        var flipped = (byte[])bytes.Clone();
        flipped[^10] ^= 0xFF;
        var newer = (byte[])bytes.Clone();
        newer[7] = 99;

        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => ModelArtifactSerializer.Deserialize(flipped)).Message, StringComparison.Ordinal);
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => ModelArtifactSerializer.Deserialize(bytes.AsSpan(0, bytes.Length / 2))).Message, StringComparison.Ordinal);
        Assert.Contains("not a ChurnFlows model", Assert.Throws<InvalidDataException>(() => ModelArtifactSerializer.Deserialize("{\"json\":1}"u8)).Message, StringComparison.Ordinal);
        Assert.Contains("format version 99", Assert.Throws<InvalidDataException>(() => ModelArtifactSerializer.Deserialize(newer)).Message, StringComparison.Ordinal);
    }
}
