using ChurnFlows.ML.Schema;
using Xunit;

namespace ChurnFlows.ML.Tests.Schema;

public class DatasetSchemaTests
{
    [Fact]
    public void StandardChurn_RoundTripsThroughJson()
    {
        var json = DatasetSchema.StandardChurn.ToJson();
        var back = DatasetSchema.FromJson(json);
        Assert.Equal(DatasetSchema.StandardChurn.Columns, back.Columns);
        Assert.Equal("churn", back.Label.Name);
    }

    [Theory]
    [InlineData("{", "not valid")]
    [InlineData("{\"columns\":[]}", "no 'columns'")]
    [InlineData("{\"columns\":[{\"name\":\"a\",\"kind\":\"numeric\"}]}", "exactly one label")]
    [InlineData("{\"columns\":[{\"name\":\"a\",\"kind\":\"label\"},{\"name\":\"a\",\"kind\":\"numeric\"}]}", "appears twice")]
    [InlineData("{\"columns\":[{\"name\":\"a\",\"kind\":\"label\"},{\"name\":\"b\",\"kind\":\"numeric\",\"allowedValues\":[\"x\"]}]}", "only to categorical")]
    [InlineData("{\"columns\":[{\"name\":\"a\",\"kind\":\"weird\"}]}", "not valid")]
    public void FromJson_Invalid_ThrowsNamingTheProblem(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => DatasetSchema.FromJson(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
