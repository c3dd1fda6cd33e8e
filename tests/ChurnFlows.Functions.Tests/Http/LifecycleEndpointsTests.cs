using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ChurnFlows.Durable.Client;
using ChurnFlows.Lifecycle;
using ChurnFlows.Lifecycle.Serving;
using ChurnFlows.ML.Synthetic;
using ChurnFlows.TestKit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChurnFlows.Functions.Tests.Http;

[Collection(ProductionModelCollection.Name)]
public sealed class LifecycleEndpointsTests : IAsyncLifetime
{
    private WebApplicationFactory<Program> _factory = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var azurite = await AzuriteFixture.GetAsync();
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("AzureWebJobsStorage", azurite.ConnectionString)
            .UseSetting("ChurnFlows:HostMode", "FunctionsHost")
            .UseSetting("ChurnFlows:Lifecycle:Retrain:Trials", "4")
            .UseSetting("ChurnFlows:Lifecycle:Retrain:BatchSize", "4")
            .UseSetting("ChurnFlows:Lifecycle:Retrain:MaximumIterations", "100")
            .UseSetting("ChurnFlows:Lifecycle:Retrain:MaximumRegression", "0.05")
            .UseSetting("ChurnFlows:Lifecycle:Retrain:Thresholds:MinimumAreaUnderRocCurve", "0.8")
            .UseSetting("ChurnFlows:Lifecycle:Retrain:Thresholds:MinimumRecall", "0.5")
            .UseSetting("ChurnFlows:Lifecycle:Retrain:Thresholds:MinimumPrecision", "0.5"));
        _client = _factory.CreateClient();
        await WaitForRetrainIdleAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task UploadRetrainApproveRollback_ThroughTheApi_MovesTheRegistry()
    {
        // Upload → ingest → retrain → promoted.
        var csv = SyntheticChurnGenerator.ToCsv(new SyntheticChurnOptions { Rows = 5_000, Seed = 77 });
        var upload = await _client.PostAsync("/api/datasets?name=api-upload.csv", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        var instance = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("instance_id").GetString()!;
        await Durable.WaitForInstanceCompletionAsync(instance);
        var first = await WaitForRetrainIdleAsync();
        var models = await GetJsonAsync("/api/models");
        Assert.Equal(first, models.GetProperty("production").GetString());

        // A second retrain that needs approval: a third request while it runs is refused.
        var start = await _client.PostAsync("/api/retrain", Json("""{"reason":"weekly","require_approval":true}"""));
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var runId = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("run_id").GetString()!;
        var refused = await _client.PostAsync("/api/retrain", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains(runId, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await WaitForRunStatusAsync(runId, "awaiting-approval");
        Assert.Equal(HttpStatusCode.Accepted, (await _client.PostAsync($"/api/runs/{runId}/approve", Json("""{"by":"ops","comment":"looks good"}"""))).StatusCode);
        var second = await WaitForRetrainIdleAsync();
        Assert.NotEqual(first, second);
        var run = await GetJsonAsync($"/api/runs/{runId}");
        Assert.Equal("completed", run.GetProperty("run").GetProperty("status").GetString());
        Assert.Contains(run.GetProperty("steps").EnumerateArray(), s => s.GetProperty("step").GetString() == "approval");

        // Rollback returns to the first; promoting by version moves forward again.
        var rollback = await _client.PostAsync("/api/models/rollback", null);
        Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);
        Assert.Equal(first, (await GetJsonAsync("/api/models")).GetProperty("production").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync($"/api/models/{second}/promote", null)).StatusCode);
        var after = await GetJsonAsync("/api/models");
        Assert.Equal(second, after.GetProperty("production").GetString());
        Assert.Contains(after.GetProperty("models").EnumerateArray(), m => m.GetProperty("version").GetString() == first && m.GetProperty("stage").GetString() == "Archived");

        // Served predictions are logged for the drift monitor.
        var customer = await _client.PostAsync("/api/predict", Json("""
            {"customer_id":"LOGGED-1","signup_date":"2023-01-15","total_purchases":12,"total_spent":640.5,"customer_lifetime_months":17,
             "support_tickets":4,"support_resolution_time":52.0,"emails_sent":60,"emails_opened":9,"last_purchase_date":"2026-04-02",
             "last_login_date":"2026-05-01","logins_last_30_days":0,"products_owned":1,"feature_usage_score":22.5}
            """));
        Assert.Equal(HttpStatusCode.OK, customer.StatusCode);
        await _factory.Services.GetRequiredService<PredictionLogger>().FlushAsync();
        var logged = await _factory.Services.GetRequiredService<LifecycleServices>().Predictions.StreamPredictionsAsync(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow).ToListAsync();
        Assert.Contains(logged, e => e.CustomerId == "LOGGED-1" && e.Features.Length > 0);
        Assert.Equal(HttpStatusCode.Accepted, (await _client.PostAsync("/api/outcomes", Json("""[{"customer_id":"LOGGED-1","churned":true}]"""))).StatusCode);
    }

    [Theory]
    [InlineData("/api/retrain", """{"reason":5}""", "reason")]
    [InlineData("/api/retrain", """[1]""", "$")]
    [InlineData("/api/outcomes", """{"customer_id":"C1"}""", "$")]
    [InlineData("/api/outcomes", """[{"customer_id":"C1"}]""", "[0].churned")]
    [InlineData("/api/outcomes", """[{"customer_id":7,"churned":"yes"}]""", "[0].customer_id")]
    [InlineData("/api/retrain", """{"reason":"typo","require_aproval":true}""", "require_aproval")]
    [InlineData("/api/runs/no-such-run/approve", """{"by":"ops","verdict":"yes"}""", "verdict")]
    [InlineData("/api/models/v-none/stage", """{"stage":"Archived","why":"old"}""", "why")]
    [InlineData("/api/runs/no-such-run/approve", "", null)]
    public async Task Post_BadInput_IsRefusedNamingTheField(string path, string body, string? field)
    {
        var response = await _client.PostAsync(path, body.Length == 0 ? null : Json(body));

        if (field is null)
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            return;
        }

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api/datasets?name=../escape.csv", "a,b\n1,2\n", HttpStatusCode.BadRequest)]
    [InlineData("/api/datasets?name=empty.csv", "", HttpStatusCode.BadRequest)]
    [InlineData("/api/models/v-none/promote", "", HttpStatusCode.NotFound)]
    public async Task Post_BadTarget_GetsAClearStatus(string path, string body, HttpStatusCode expected)
    {
        var response = await _client.PostAsync(path, new StringContent(body, Encoding.UTF8, "text/csv"));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task GetRun_Unknown_Is404ProblemNamingIt()
    {
        var response = await _client.GetAsync("/api/runs/no-such-run");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-such-run", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private DurableTaskClient Durable => _factory.Services.GetRequiredService<DurableTaskClient>();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<JsonElement> GetJsonAsync(string path) => await _client.GetFromJsonAsync<JsonElement>(path);

    private async Task<string?> WaitForRetrainIdleAsync()
    {
        if (await Durable.GetInstanceAsync(LifecycleServices.RetrainInstanceId) is null)
        {
            return null;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var done = await Durable.WaitForInstanceCompletionAsync(LifecycleServices.RetrainInstanceId, timeout.Token);
        Assert.True(done.RuntimeStatus == ChurnFlows.Durable.OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ErrorMessage);
        return done.ReadOutputAs<Lifecycle.Orchestration.RetrainOutcome>()!.ProductionVersion;
    }

    private async Task WaitForRunStatusAsync(string runId, string status)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while ((await GetJsonAsync($"/api/runs/{runId}")).GetProperty("run").GetProperty("status").GetString() != status)
        {
            await Task.Delay(200, timeout.Token);
        }
    }
}
