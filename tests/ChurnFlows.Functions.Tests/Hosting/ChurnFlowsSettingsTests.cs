using ChurnFlows.Functions.Hosting;
using Microsoft.Extensions.Configuration;

namespace ChurnFlows.Functions.Tests.Hosting;

public class ChurnFlowsSettingsTests
{
    [Fact]
    public void From_Overrides_AreRead()
    {
        var settings = ChurnFlowsSettings.From(Config(new()
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["ChurnFlows:TaskHub"] = "prod",
            ["ChurnFlows:PartitionCount"] = "8",
            ["ChurnFlows:Serving:CanaryPercent"] = "15",
            ["ChurnFlows:Lifecycle:Retrain:Trials"] = "50",
            ["ChurnFlows:Lifecycle:Retrain:Thresholds:MinimumRecall"] = "0.8",
            ["ChurnFlows:Lifecycle:Drift:PsiDrift"] = "0.3",
        }));

        Assert.Equal("prod", settings.TaskHub);
        Assert.Equal(8, settings.PartitionCount);
        Assert.Equal(15, settings.CanaryPercent);
        Assert.Equal(50, settings.Lifecycle.Retrain.Trials);
        Assert.Equal(0.8, settings.Lifecycle.Retrain.Thresholds.MinimumRecall);
        Assert.Equal(0.85, settings.Lifecycle.Retrain.Thresholds.MinimumAreaUnderRocCurve);
        Assert.Equal(0.3, settings.Lifecycle.Drift.PsiDrift);
    }

    [Fact]
    public void From_Nothing_ServesNoCanary()
    {
        Assert.Equal(0, ChurnFlowsSettings.From(Config([])).CanaryPercent);
    }

    [Theory]
    [InlineData("ChurnFlows:Serving:CanaryPercent", "101", "Setting ChurnFlows:Serving:CanaryPercent must be a whole number from 0 to 100 (got '101')")]
    [InlineData("ChurnFlows:Serving:CanaryPercent", "-5", "Setting ChurnFlows:Serving:CanaryPercent must be a whole number from 0 to 100 (got '-5')")]
    [InlineData("ChurnFlows:Serving:CanaryPercent", "12.5", "Setting ChurnFlows:Serving:CanaryPercent must be a whole number")]
    [InlineData("ChurnFlows:Serving:CanaryPercent", "ten", "Setting ChurnFlows:Serving:CanaryPercent")]
    [InlineData("ChurnFlows:PartitionCount", "40", "ChurnFlows:PartitionCount must be a whole number from 1 to 16 (got '40')")]
    [InlineData("ChurnFlows:PredictionLogMaxPerSecond", "-1", "Setting ChurnFlows:PredictionLogMaxPerSecond must be a whole number from 0 to 10000000 (got '-1')")]
    [InlineData("ChurnFlows:PartitionLeaseSeconds", "soon", "ChurnFlows:PartitionLeaseSeconds")]
    [InlineData("ChurnFlows:TaskHubBackend", "Redis", "ChurnFlows:TaskHubBackend must be AzureStorage or InMemory (got 'Redis')")]
    [InlineData("ChurnFlows:Lifecycle:Retrain:Trials", "0", "Trials and BatchSize must be at least 1")]
    [InlineData("ChurnFlows:Lifecycle:Retrain:Trials", "many", "ChurnFlows:Lifecycle")]
    [InlineData("ChurnFlows:Lifecycle:SchemaPath", "no-such-schema.json", "Setting ChurnFlows:Lifecycle:SchemaPath ('no-such-schema.json') cannot be used")]
    public void From_BadValue_NamesTheSetting(string key, string value, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ChurnFlowsSettings.From(Config(new() { [key] = value })));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Config(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
