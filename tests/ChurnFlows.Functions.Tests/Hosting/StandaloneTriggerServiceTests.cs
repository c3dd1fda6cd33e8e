using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace ChurnFlows.Functions.Tests.Hosting;

public sealed class StandaloneTriggerServiceTests
{
    [Fact]
    public async Task Standalone_TimerWithRunOnStartup_RunsInProcessAndHostEndpointsAreNotExposed()
    {
        await using var app = FunctionsApp.Create(
            new Dictionary<string, string?> { ["ChurnFlows:HostMode"] = "Standalone", ["Schedules:Nightly"] = "0 0 3 * * *" },
            table => table.AddTimer<RecordingHandler>("NightlyJob", "%Schedules:Nightly%", runOnStartup: true));
        using var client = app.CreateClient();
        var recorder = app.Services.GetRequiredService<InvocationRecorder>();

        for (var i = 0; i < 100 && recorder.Invocations.IsEmpty; i++)
        {
            await Task.Delay(20);
        }

        var invocation = Assert.Single(recorder.Invocations);
        Assert.Equal("NightlyJob", invocation.FunctionName);
        Assert.False(invocation.Timer!.IsPastDue);
        Assert.Equal(3, invocation.Timer.Next!.Value.Hour);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/NightlyJob", new StringContent("{}"))).StatusCode);
    }
}
