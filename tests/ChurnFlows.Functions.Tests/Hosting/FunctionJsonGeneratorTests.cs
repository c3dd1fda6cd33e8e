using System.Text.Json;
using ChurnFlows.Functions.Hosting;
using ChurnFlows.Functions.Hosting.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ChurnFlows.Functions.Tests.Hosting;

public sealed class FunctionJsonGeneratorTests
{
    private static void TestFunctions(FunctionTable table) => table
        .AddTimer<RecordingHandler>("NightlyCheck", "0 30 2 * * *")
        .AddBlob<RecordingHandler>("TestDrop", "test-incoming/{name}")
        .AddQueue<RecordingHandler>("WorkQueue", "churn-work");

    [Fact]
    public async Task Write_AppTable_WritesValidFunctionJsonForEveryFunction()
    {
        await using var app = FunctionsApp.Create(new Dictionary<string, string?> { ["ChurnFlows:HostMode"] = "FunctionsHost" }, TestFunctions);
        var table = app.Services.GetRequiredService<FunctionTable>();
        var directory = Path.Combine(Path.GetTempPath(), "fj-" + Guid.NewGuid().ToString("N"));
        try
        {
            var written = FunctionJsonGenerator.Write(table, directory);

            Assert.Equal(table.Functions.Count, written.Count);
            Assert.Contains(table.Functions, f => f is { Name: "IngestDrop", Trigger: BlobFunctionTrigger });
            Assert.Contains(table.Functions, f => f is { Name: "DriftMonitor", Trigger: TimerFunctionTrigger });
            Assert.Contains(table.Functions, f => f is { Name: "ApproveRun", Trigger: HttpFunctionTrigger });
            Assert.Equal(table.Functions.Select(f => f.Name).Order(), Directory.GetDirectories(directory).Select(Path.GetFileName).Order());
            foreach (var function in table.Functions)
            {
                using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, function.Name, "function.json")));
                var bindings = json.RootElement.GetProperty("bindings");
                var trigger = bindings[0];
                Assert.Equal("in", trigger.GetProperty("direction").GetString());
                Assert.Equal(function.Trigger.BindingName, trigger.GetProperty("name").GetString());
                AssertTrigger(function.Trigger, trigger, bindings);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void AssertTrigger(FunctionTrigger expected, JsonElement trigger, JsonElement bindings)
    {
        switch (expected)
        {
            case HttpFunctionTrigger http:
                Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
                Assert.Equal(http.Route, trigger.GetProperty("route").GetString());
                Assert.Contains(trigger.GetProperty("authLevel").GetString(), new[] { "anonymous", "function", "admin" });
                Assert.Equal(http.Methods.Select(m => m.ToLowerInvariant()), trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
                Assert.Equal(2, bindings.GetArrayLength());
                Assert.Equal("http", bindings[1].GetProperty("type").GetString());
                Assert.Equal("out", bindings[1].GetProperty("direction").GetString());
                break;
            case TimerFunctionTrigger timer:
                Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
                Assert.Equal(timer.Schedule, trigger.GetProperty("schedule").GetString());
                Assert.Single(bindings.EnumerateArray());
                break;
            case BlobFunctionTrigger blob:
                Assert.Equal("blobTrigger", trigger.GetProperty("type").GetString());
                Assert.Equal(blob.Path, trigger.GetProperty("path").GetString());
                Assert.Equal("EventGrid", trigger.GetProperty("source").GetString());
                Assert.Equal("AzureWebJobsStorage", trigger.GetProperty("connection").GetString());
                break;
            case QueueFunctionTrigger queue:
                Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
                Assert.Equal(queue.QueueName, trigger.GetProperty("queueName").GetString());
                break;
            default:
                Assert.Fail($"unexpected trigger {expected}");
                break;
        }
    }

    [Fact]
    public async Task AppTable_EveryApiEndpoint_IsAFunctionSoTheHostForwardsIt()
    {
        await using var app = FunctionsApp.Create(new Dictionary<string, string?>());
        var table = app.Services.GetRequiredService<FunctionTable>();
        var declared = table.Functions.Select(f => f.Trigger).OfType<HttpFunctionTrigger>()
            .SelectMany(t => t.Methods.Select(m => $"{m} {t.PathTemplate}")).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var served = app.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true && !e.RoutePattern.RawText.StartsWith("/api/openapi", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToList();

        Assert.NotEmpty(served);
        Assert.All(served, route => Assert.Contains(route, declared));
    }

    [Fact]
    public void Write_FunctionRemovedFromTable_RemovesItsStaleFolderOnly()
    {
        var directory = Path.Combine(Path.GetTempPath(), "fj-" + Guid.NewGuid().ToString("N"));
        try
        {
            FunctionJsonGenerator.Write(new FunctionTable().AddTimer<RecordingHandler>("Old", "0 0 * * * *").AddTimer<RecordingHandler>("Kept", "0 0 * * * *"), directory);
            Directory.CreateDirectory(Path.Combine(directory, "wwwroot"));
            File.WriteAllText(Path.Combine(directory, "wwwroot", "index.html"), "<p/>");

            FunctionJsonGenerator.Write(new FunctionTable().AddTimer<RecordingHandler>("Kept", "0 0 * * * *"), directory);

            Assert.Equal(["Kept", "wwwroot"], Directory.GetDirectories(directory).Select(Path.GetFileName).Order());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("1bad")]
    [InlineData("has space")]
    [InlineData("")]
    public void Add_InvalidName_Throws(string name) =>
        Assert.ThrowsAny<ArgumentException>(() => new FunctionTable().AddTimer<RecordingHandler>(name, "0 0 * * * *"));

    [Fact]
    public void Add_DuplicateNameOrBadSchedule_Throws()
    {
        var table = new FunctionTable().AddTimer<RecordingHandler>("Once", "0 0 * * * *");

        Assert.Throws<ArgumentException>(() => table.AddQueue<RecordingHandler>("once", "q"));
        Assert.Throws<FormatException>(() => table.AddTimer<RecordingHandler>("Bad", "0 0 * * *"));
        Assert.Throws<ArgumentException>(() => table.AddBlob<RecordingHandler>("NoName", "churn-incoming/file.csv"));
        Assert.Throws<ArgumentException>(() => table.AddHttp("Slash", "GET", "/api/x", () => "x"));
    }
}
