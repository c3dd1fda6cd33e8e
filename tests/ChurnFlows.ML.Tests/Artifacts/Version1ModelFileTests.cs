using System.Globalization;
using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Data;
using ChurnFlows.TestKit;
using Xunit;

namespace ChurnFlows.ML.Tests.Artifacts;

/// <summary>
/// Model files written by version 1 (the managed trainer), committed under Resources/Version1 with the
/// serving rows and the probabilities version 1 gave them: every later build must load and score them the same.
/// </summary>
public class Version1ModelFileTests
{
    [Theory]
    [InlineData("standard-churn", ModelArtifactSerializer.BaseFormatVersion)]
    [InlineData("plan-churn", ModelArtifactSerializer.FormatVersion)]
    public void Deserialize_Version1File_ScoresAsVersion1Did(string name, byte formatVersion)
    {
        var bytes = File.ReadAllBytes(Resource(name + ".cfm"));
        var expected = File.ReadAllLines(Resource(name + ".expected.txt")).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();

        var artifact = ModelArtifactSerializer.Deserialize(bytes);
        var serving = DatasetReader.Read(new StringReader(File.ReadAllText(Resource(name + ".serving.csv"))), name == "plan-churn" ? PlanChurnData.Schema : null).Dataset;
        var actual = artifact.Model.PredictProbabilities(artifact.Pipeline.Transform(serving));

        Assert.Equal(formatVersion, bytes[7]);
        Assert.Equal("v0001", artifact.Version);
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 12);
        }
    }

    private static string Resource(string file) => Path.Combine(AppContext.BaseDirectory, "Resources", "Version1", file);
}
