using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ChurnFlows.Lifecycle;
using ChurnFlows.Lifecycle.Registry;
using ChurnFlows.Lifecycle.Serving;
using ChurnFlows.Lifecycle.Training;
using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Synthetic;
using ChurnFlows.TestKit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChurnFlows.Functions.Tests.Http;

/// <summary>
/// Two registered versions of one small model on the shared Azurite (one promoted, one to be staged), and two
/// apps over them: one with a canary share, one with the canary off. Both check for new versions every second.
/// </summary>
public sealed class CanaryAppsFixture : IAsyncLifetime
{
    public const int CanaryPercent = 20;

    private WebApplicationFactory<Program> _canary = null!;
    private WebApplicationFactory<Program> _off = null!;

    public string Production { get; } = $"vcanary-prod-{Guid.NewGuid():N}"[..21];

    public string Staging { get; } = $"vcanary-stage-{Guid.NewGuid():N}"[..22];

    public HttpClient Canary { get; private set; } = null!;

    public HttpClient Off { get; private set; } = null!;

    public IServiceProvider CanaryServices => _canary.Services;

    public async Task InitializeAsync()
    {
        var azurite = await AzuriteFixture.GetAsync();
        var containers = new ChurnContainers(await AzuriteFixture.GetBlobServiceAsync());
        var tables = new ChurnTables(await AzuriteFixture.GetTableServiceAsync());
        await containers.CreateIfNotExistsAsync();
        await tables.CreateIfNotExistsAsync();
        var store = new ModelStore(containers.Models);
        var registry = new ModelRegistry(tables.Models, store);
        var artifact = new TrainingService(new TrainingOptions { Trials = 1, MaximumIterations = 30 })
            .Train(SyntheticChurnGenerator.Generate(new() { Rows = 2_000, Seed = 21 }), Production, new ModelLineage { DatasetSha256 = "test" }).Artifact;
        foreach (var version in new[] { Production, Staging })
        {
            await store.SaveAsync(artifact with { Version = version });
            await registry.RegisterAsync(new ModelRecord { Version = version, DatasetSha256 = "test" });
        }

        await registry.PromoteAsync(Production, "canary tests");
        _canary = App(azurite.ConnectionString, CanaryPercent);
        _off = App(azurite.ConnectionString, null);
        Canary = _canary.CreateClient();
        Off = _off.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Canary.Dispose();
        Off.Dispose();
        await _canary.DisposeAsync();
        await _off.DisposeAsync();
    }

    private static WebApplicationFactory<Program> App(string connectionString, int? canaryPercent) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("AzureWebJobsStorage", connectionString).UseSetting("ChurnFlows:HostMode", "FunctionsHost").UseSetting("ChurnFlows:ModelRefreshSeconds", "1");
            if (canaryPercent is { } percent)
            {
                b.UseSetting("ChurnFlows:Serving:CanaryPercent", percent.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        });
}

[Collection(ProductionModelCollection.Name)]
public sealed class CanaryEndpointsTests(CanaryAppsFixture apps) : IClassFixture<CanaryAppsFixture>
{
    private static readonly string[] Customers = [.. Enumerable.Range(0, 2_000).Select(i => $"K{i:D5}")];

    [Fact]
    public async Task Canary_StagedThroughTheApi_ServesItsShareStickily_AndPromotionEndsIt()
    {
        // Staged through the API: the registry names it.
        var staged = await PostAsync(apps.Canary, $"/api/models/{apps.Staging}/stage", """{"reason":"try the new model on a fifth of customers"}""");
        Assert.Equal(HttpStatusCode.OK, staged.StatusCode);
        Assert.Equal("Staging", (await staged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stage").GetString());
        Assert.Equal(apps.Staging, (await apps.Canary.GetFromJsonAsync<JsonElement>("/api/models")).GetProperty("staging").GetString());

        // With a share: close to the setting, each canary answer names the Staging version, and stable per customer.
        var first = await WaitForAnswersAsync(apps.Canary, answers => answers.Values.Any(a => a.Stage == "Staging"));
        var canary = first.Where(a => a.Value.Stage == "Staging").ToList();
        Assert.InRange(100.0 * canary.Count / Customers.Length, CanaryAppsFixture.CanaryPercent - 3, CanaryAppsFixture.CanaryPercent + 3);
        Assert.All(canary, a => Assert.Equal(apps.Staging, a.Value.Version));
        Assert.All(first.Except(canary), a => Assert.Equal((apps.Production, "Production"), (a.Value.Version, a.Value.Stage)));
        Assert.Equal(first, await BatchAsync(apps.Canary));
        foreach (var customer in Customers.Take(20))
        {
            var single = await (await PostAsync(apps.Canary, "/api/predict?reasons=false", Customer(customer))).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(first[customer], new Answer(single.GetProperty("model_version").GetString()!, single.GetProperty("model_stage").GetString()!));
        }

        // With the canary off, the same customers all get Production.
        Assert.All(await BatchAsync(apps.Off), a => Assert.Equal((apps.Production, "Production"), (a.Value.Version, a.Value.Stage)));

        // The prediction log records which model answered each customer.
        await apps.CanaryServices.GetRequiredService<PredictionLogger>().FlushAsync();
        var logged = (await apps.CanaryServices.GetRequiredService<LifecycleServices>().Predictions.StreamPredictionsAsync(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow).ToListAsync())
            .Where(e => e.ModelVersion == apps.Staging).ToList();
        Assert.Equal(canary.Select(a => a.Key).Order(), logged.Select(e => e.CustomerId).Distinct().Order());
        Assert.All(logged, e => Assert.Equal(ModelStage.Staging, e.ModelStage));

        // Promoting the Staging version ends the canary: every customer gets it, as Production.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(apps.Canary, $"/api/models/{apps.Staging}/promote", "")).StatusCode);
        await WaitForAnswersAsync(apps.Canary, answers => answers.Values.All(a => a == new Answer(apps.Staging, "Production")));
        var current = await apps.Canary.GetFromJsonAsync<JsonElement>("/api/models/current");
        Assert.Equal(apps.Staging, current.GetProperty("version").GetString());
        Assert.Equal(CanaryAppsFixture.CanaryPercent, current.GetProperty("canary").GetProperty("percent").GetInt32());
        Assert.Equal(JsonValueKind.Null, current.GetProperty("canary").GetProperty("staging_version").ValueKind);
    }

    [Theory]
    [InlineData("""{"stage":"Production"}""", "stage", "promote")]
    [InlineData("""{"stage":"Canary"}""", "stage", "must be Staging, None or Archived")]
    [InlineData("""{"stage":1}""", "stage", "must be a string")]
    [InlineData("""{"reason":false}""", "reason", "must be a string")]
    [InlineData("""["Staging"]""", "$", "JSON object")]
    public async Task StageModel_BadBody_Returns400NamingTheField(string body, string field, string problem)
    {
        var response = await PostAsync(apps.Canary, $"/api/models/{apps.Staging}/stage", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains(problem, errors.GetProperty(field)[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StageModel_UnknownOrProductionVersion_GetsAClearStatus()
    {
        var unknown = await PostAsync(apps.Canary, "/api/models/v-no-such-version/stage", "");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);

        var production = (await apps.Canary.GetFromJsonAsync<JsonElement>("/api/models")).GetProperty("production").GetString();
        var refused = await PostAsync(apps.Canary, $"/api/models/{production}/stage", """{"stage":"Archived"}""");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("in Production", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_DescribesTheStageRoute()
    {
        var document = await apps.Canary.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        Assert.True(document.GetProperty("paths").GetProperty("/api/models/{version}/stage").TryGetProperty("post", out _));
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static string Customer(string id) => $$"""
        {"customer_id":"{{id}}","signup_date":"2023-01-15","total_purchases":12,"total_spent":640.5,"customer_lifetime_months":17,
         "support_tickets":4,"support_resolution_time":52.0,"emails_sent":60,"emails_opened":9,"last_purchase_date":"2026-04-02",
         "last_login_date":"2026-05-01","logins_last_30_days":0,"products_owned":1,"feature_usage_score":22.5}
        """;

    /// <summary>Scores every test customer in one batch; returns who answered each.</summary>
    private static async Task<Dictionary<string, Answer>> BatchAsync(HttpClient client)
    {
        var response = await PostAsync(client, "/api/predict/batch?reasons=false", $"[{string.Join(',', Customers.Select(Customer))}]");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToDictionary(
            r => r.GetProperty("customer_id").GetString()!,
            r => new Answer(r.GetProperty("model_version").GetString()!, r.GetProperty("model_stage").GetString()!));
    }

    /// <summary>Scores the batch until the answers satisfy <paramref name="done"/> (the app checks for new versions every second).</summary>
    private static async Task<Dictionary<string, Answer>> WaitForAnswersAsync(HttpClient client, Func<Dictionary<string, Answer>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var answers = await BatchAsync(client);
            if (done(answers) || DateTime.UtcNow > deadline)
            {
                Assert.True(done(answers), "the served models did not change within 30 s");
                return answers;
            }

            await Task.Delay(250);
        }
    }

    private sealed record Answer(string Version, string Stage);
}
