using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Drift;
using ChurnFlows.ML.Evaluation;
using ChurnFlows.ML.Features;
using ChurnFlows.ML.Synthetic;
using ChurnFlows.ML.Trees;
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
