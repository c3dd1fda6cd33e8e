using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChurnFlows.TestKit;

namespace ChurnFlows.Functions.Tests.Hosting;

public sealed class FunctionKeyMiddlewareTests
{
    [Fact]
    public async Task Keys_Configured_AdminRoutesNeedAdminKeyApiRoutesNeedApiKeyHealthIsOpen()
    {
        var azurite = await AzuriteFixture.GetAsync();
        await using var app = FunctionsApp.Create(new Dictionary<string, string?>
        {
            ["ChurnFlows:HostMode"] = "Standalone",
            ["ChurnFlows:AdminKey"] = "admin-secret",
            ["ChurnFlows:ApiKey"] = "api-secret",
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
        });
        using var client = app.CreateClient();

        var anonymous = await client.GetAsync("/api/durabletask/instances");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/runtime/webhooks/durabletask/instances?code=api-secret")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/runtime/webhooks/durabletask/instances?code=admin-secret")).StatusCode);
        using var withHeader = new HttpRequestMessage(HttpMethod.Get, "/api/durabletask/instances");
        withHeader.Headers.Add("x-functions-key", "admin-secret");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(withHeader)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/models/current")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/models/current?code=api-secretX")).StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/models/current?code=api-secret")).StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/models/current?code=admin-secret")).StatusCode);

        var health = await client.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var report = await health.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(report.GetProperty("storage_reachable").GetBoolean());
        Assert.Equal("Standalone", report.GetProperty("host_mode").GetString());
        Assert.False(string.IsNullOrEmpty(report.GetProperty("version").GetString()));
        Assert.True(report.TryGetProperty("model_loaded", out _));
    }

    [Fact]
    public async Task Keys_OnlyAdminKeyConfigured_ApiRoutesAreOpenAdminRoutesAreNot()
    {
        var azurite = await AzuriteFixture.GetAsync();
        await using var app = FunctionsApp.Create(new Dictionary<string, string?>
        {
            ["ChurnFlows:HostMode"] = "Standalone",
            ["ChurnFlows:AdminKey"] = "admin-secret",
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
        });
        using var client = app.CreateClient();

        Assert.NotEqual(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/models/current")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/runtime/webhooks/durabletask/instances")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/runtime/webhooks/durabletask/instances?code=wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/runtime/webhooks/durabletask/instances?code=admin-secret")).StatusCode);
    }

    [Fact]
    public async Task Keys_NotConfigured_EverythingIsOpenAndOpenApiIsServed()
    {
        await using var app = FunctionsApp.Create(new Dictionary<string, string?> { ["ChurnFlows:HostMode"] = "Standalone" });
        using var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/durabletask/instances")).StatusCode);
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/durabletask/instances/{instanceId}", out _));
        Assert.True(paths.TryGetProperty("/api/health", out _));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task Health_StorageUnreachable_Answers503WithTheReason()
    {
        await using var app = FunctionsApp.Create(new Dictionary<string, string?>
        {
            ["ChurnFlows:HostMode"] = "Standalone",
            ["AzureWebJobsStorage"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;",
        });
        using var client = app.CreateClient();

        var health = await client.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        var report = await health.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(report.GetProperty("storage_reachable").GetBoolean());
        Assert.Equal("unhealthy", report.GetProperty("status").GetString());
    }
}
