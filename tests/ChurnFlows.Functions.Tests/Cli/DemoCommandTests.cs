using ChurnFlows.Functions.Cli;
using ChurnFlows.TestKit;

namespace ChurnFlows.Functions.Tests.Cli;

[Collection(ProductionModelCollection.Name)]
public class DemoCommandTests
{
    [Fact]
    public async Task RunAsync_AgainstAzurite_RunsTheLifecycleAndSavesTheCandidate()
    {
        var azurite = await AzuriteFixture.GetAsync();
        var output = new StringWriter();

        var exit = await DemoCommand.RunAsync(new DemoOptions { ConnectionString = azurite.ConnectionString, Rows = 50_000, Trials = 6, TaskHub = "demotest" }, output);

        var text = output.ToString();
        Assert.Equal(0, exit);
        Assert.Contains("ingest validated: 50,000 rows", text, StringComparison.Ordinal);
        Assert.Matches(@"retrain tune: \d+ completed, \d+ pruned, 0 failed", text);
        Assert.Contains("retrain evaluate:", text, StringComparison.Ordinal);
        Assert.Contains("candidate v", text, StringComparison.Ordinal);
        Assert.Matches(@"promoted v[\d-]+ to Production|kept the champion", text);
        Assert.Contains("prediction from Production", text, StringComparison.Ordinal);
        var models = (await AzuriteFixture.GetContainersAsync()).Models;
        Assert.NotEmpty(await models.GetBlobsAsync().Where(b => b.Name.EndsWith(".cfm", StringComparison.Ordinal)).ToListAsync());
    }

    [Theory]
    [InlineData(new[] { "--rows" }, "needs a value")]
    [InlineData(new[] { "--rows", "-5" }, "positive whole number")]
    [InlineData(new[] { "--colour", "red" }, "Unknown option '--colour'")]
    public void Parse_BadArguments_NameTheProblem(string[] args, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => DemoOptions.Parse(args));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
