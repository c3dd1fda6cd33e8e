using ChurnFlows.Functions.Hosting;
using Microsoft.Extensions.Configuration;

namespace ChurnFlows.Functions.Tests.Hosting;

public sealed class FunctionsHostingOptionsTests
{
    [Theory]
    [InlineData(HostMode.Auto, null, HostMode.Standalone)]
    [InlineData(HostMode.Auto, "51234", HostMode.FunctionsHost)]
    [InlineData(HostMode.Standalone, "51234", HostMode.Standalone)]
    [InlineData(HostMode.FunctionsHost, null, HostMode.FunctionsHost)]
    public void ResolveMode_SettingAndHostPort_PicksTheMode(HostMode setting, string? port, HostMode expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [FunctionsHostingOptions.CustomHandlerPortVariable] = port })
            .Build();

        Assert.Equal(expected, new FunctionsHostingOptions { HostMode = setting }.ResolveMode(configuration));
    }
}
