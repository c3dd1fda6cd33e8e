using ChurnFlows.ML.Data;
using ChurnFlows.ML.Schema;
using ChurnFlows.ML.Synthetic;
using ChurnFlows.ML.Validation;
using Xunit;

namespace ChurnFlows.ML.Tests.Validation;

public class DatasetValidatorTests
{
    private static readonly ExpectationSuite Default = ExpectationSuite.DefaultFor(DatasetSchema.StandardChurn);

    [Fact]
    public void Validate_GoodSyntheticData_Passes()
    {
        var read = DatasetReader.Read(new StringReader(SyntheticChurnGenerator.ToCsv(new() { Rows = 2_000 })));
        var report = DatasetValidator.Validate(read, Default);
        Assert.True(report.Success, string.Join("; ", report.Failures.Select(f => $"{f.Expectation}: {f.Observed}")));
    }

    [Fact]
    public void Validate_BadData_FailsWithObservedValuesAndExamples()
    {
        var csv = SyntheticChurnGenerator.ToCsv(new() { Rows = 300 }).Split('\n').ToList();
        csv[5] = csv[4];                                          // duplicate id
        for (var i = 10; i < 15; i++)
        {
            csv[i] += ",extra";                                   // malformed rows (1.7 %)
        }

        var fields = csv[20].Split(',');
        fields[13] = "140";                                       // usage score out of range
        csv[20] = string.Join(',', fields);
        var read = DatasetReader.Read(new StringReader(string.Join('\n', csv)));

        var report = DatasetValidator.Validate(read, Default);

        Assert.False(report.Success);
        var unique = report.Results.Single(r => r.Expectation == "unique(customer_id)");
        Assert.False(unique.Passed);
        Assert.Contains("lines 5, 6", unique.Examples[0], StringComparison.Ordinal);
        var range = report.Results.Single(r => r.Expectation == "between(feature_usage_score)");
        Assert.False(range.Passed);
        Assert.Equal("line 21: 140", range.Examples[0]);
        Assert.False(report.Results.Single(r => r.Expectation == "maxMalformedRatio").Passed);
        Assert.Contains("\"success\": false", report.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TooFewRowsAndNoChurners_Fails()
    {
        var read = DatasetReader.Read(new StringReader(SyntheticChurnGenerator.Header + "\nC1,2024-01-01,1,1,1,0,,1,1,2024-01-01,2024-01-01,1,1,50,0\n"));
        var report = DatasetValidator.Validate(read, Default);
        Assert.False(report.Results.Single(r => r.Expectation == "minRows").Passed);
        Assert.False(report.Results.Single(r => r.Expectation == "positiveRatio").Passed);
    }

    [Fact]
    public void Validate_UnreadableFile_FailsWithoutThrowing()
    {
        var report = DatasetValidator.Validate(DatasetReader.Read(new StringReader("")), Default);
        Assert.False(report.Success);
        Assert.Equal("readable", report.Results[0].Expectation);
    }

    [Theory]
    [InlineData("{\"expectations\":[{\"type\":\"nope\"}]}", "expectations[0].type 'nope'")]
    [InlineData("{\"expectations\":[{\"type\":\"between\",\"column\":\"x\"}]}", "missing its bound")]
    [InlineData("{\"expectations\":[{\"type\":\"unique\"}]}", "needs a 'column'")]
    [InlineData("{\"expectations\":[{\"type\":\"inSet\",\"column\":\"x\"}]}", "non-empty 'values'")]
    [InlineData("[1,2]", "not valid")]
    public void FromJson_BadSuite_ThrowsNamingTheField(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ExpectationSuite.FromJson(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_RoundTrip_KeepsExpectations()
    {
        Assert.Equal(Default.Expectations, ExpectationSuite.FromJson(Default.ToJson()).Expectations);
    }
}
