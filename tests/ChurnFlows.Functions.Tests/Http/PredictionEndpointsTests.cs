using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ChurnFlows.Lifecycle.Registry;
using ChurnFlows.Lifecycle.Training;
using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Synthetic;
using ChurnFlows.TestKit;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ChurnFlows.Functions.Tests.Http;

/// <summary>Trains and promotes one small model (standard schema unless a subclass gives other data), and hosts the app against the shared Azurite.</summary>
public class ServedModelFixture : IAsyncLifetime
{
    private WebApplicationFactory<Program> _factory = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Gets the app's services.</summary>
    public IServiceProvider Services => _factory.Services;

    /// <summary>The data the served model is trained on.</summary>
    protected virtual TabularDataset TrainingData() => SyntheticChurnGenerator.Generate(new() { Rows = 5_000, Seed = 11 });

    public async Task InitializeAsync()
    {
        var azurite = await AzuriteFixture.GetAsync();
        var containers = await AzuriteFixture.GetContainersAsync();
        await containers.CreateIfNotExistsAsync();
        var outcome = new TrainingService(new TrainingOptions { Trials = 3, MaximumIterations = 100 })
            .Train(TrainingData(), $"t{Guid.NewGuid():N}"[..12], new ModelLineage { DatasetSha256 = "test" });
        var store = new ModelStore(containers.Models);
        await store.SaveAsync(outcome.Artifact);
        await store.PromoteAsync(outcome.Artifact.Version);
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("AzureWebJobsStorage", azurite.ConnectionString).UseSetting("ChurnFlows:HostMode", "FunctionsHost"));
        Client = _factory.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
    }
}

[Collection(ProductionModelCollection.Name)]
public sealed class PredictionEndpointsTests(ServedModelFixture served) : IClassFixture<ServedModelFixture>
{
    private const string Customer = """
        {"customer_id":"C42","signup_date":"2023-01-15","total_purchases":12,"total_spent":640.5,"customer_lifetime_months":17,
         "support_tickets":4,"support_resolution_time":52.0,"emails_sent":60,"emails_opened":9,"last_purchase_date":"2026-04-02",
         "last_login_date":"2026-05-01","logins_last_30_days":0,"products_owned":1,"feature_usage_score":22.5}
        """;

    private readonly HttpClient _client = served.Client;

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        _client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Predict_Served_IsCountedOnTheServingMeterByModelVersion()
    {
        long counted = 0;
        string? version = null;
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ChurnFlows.Functions.Hosting.ChurnFlowsTelemetry.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "route" && Equals(tag.Value, "single"))
                {
                    Interlocked.Add(ref counted, value);
                }
                else if (tag.Key == "model_version")
                {
                    version = tag.Value as string;
                }
            }
        });
        listener.Start();

        var response = await PostAsync("/api/predict", Customer);

        response.EnsureSuccessStatusCode();
        Assert.True(Interlocked.Read(ref counted) >= 1);
        Assert.Equal((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("model_version").GetString(), version);
    }

    [Fact]
    public async Task Predict_ValidCustomer_ReturnsProbabilityDecisionAndThreeReasons()
    {
        var response = await PostAsync("/api/predict", Customer);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal("C42", root.GetProperty("customer_id").GetString());
        Assert.InRange(root.GetProperty("probability").GetDouble(), 0, 1);
        var probability = root.GetProperty("probability").GetDouble();
        Assert.Contains(root.GetProperty("will_churn").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        Assert.InRange(root.GetProperty("confidence").GetDouble(), 0, 1);
        Assert.True(probability > 0.3, $"a disengaged customer with slow support scores {probability}");
        Assert.Equal(3, root.GetProperty("top_reasons").GetArrayLength());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("model_version").GetString()));
        Assert.Equal("Production", root.GetProperty("model_stage").GetString());
    }

    [Theory]
    [InlineData("\"total_purchases\":12", "\"total_purchases\":\"many\"", "total_purchases", "expected a number")]
    [InlineData("\"support_tickets\":4", "\"support_tickets\":-1", "support_tickets", "must not be negative")]
    [InlineData("\"products_owned\":1", "\"products_owned\":1.5", "products_owned", "whole number")]
    [InlineData("\"last_login_date\":\"2026-05-01\"", "\"last_login_date\":\"yesterday\"", "last_login_date", "date string")]
    [InlineData("\"last_login_date\":\"2026-05-01\"", "\"last_login_date\":20260501", "last_login_date", "date string")]
    [InlineData("\"total_spent\":640.5", "\"total_spent\":1e400", "total_spent", "out of range")]
    public async Task Predict_BadField_Returns400NamingIt(string good, string bad, string field, string problem)
    {
        var response = await PostAsync("/api/predict", Customer.Replace(good, bad, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(problem, json.RootElement.GetProperty("errors").GetProperty(field)[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"customer_id\": ", HttpStatusCode.BadRequest, "Malformed JSON")]
    [InlineData("[1,2]", HttpStatusCode.BadRequest, "JSON object")]
    [InlineData("\"text\"", HttpStatusCode.BadRequest, "JSON object")]
    public async Task Predict_MalformedBody_Returns400(string body, HttpStatusCode status, string expected)
    {
        var response = await PostAsync("/api/predict", body);
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_OversizedBody_Returns413()
    {
        var response = await PostAsync("/api/predict", "{\"pad\":\"" + new string('x', 70_000) + "\"}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task PredictBatch_ArrayOfCustomers_ScoresEach_AndNamesBadRowsByIndex()
    {
        var ok = await PostAsync("/api/predict/batch", $"[{Customer},{Customer},{{}}]");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(3, (await ok.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength());

        var bad = await PostAsync("/api/predict/batch", $"[{Customer},{Customer.Replace("\"emails_sent\":60", "\"emails_sent\":true", StringComparison.Ordinal)}]");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("[1].emails_sent", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync("/api/predict/batch", "[]")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync("/api/predict/batch", Customer)).StatusCode);
    }

    [Fact]
    public async Task Predict_ReasonsFalse_ReturnsTheSameScoreWithoutReasons()
    {
        var explained = await (await PostAsync("/api/predict", Customer)).Content.ReadFromJsonAsync<JsonElement>();
        var response = await PostAsync("/api/predict?reasons=false", Customer);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var scored = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(explained.GetProperty("probability").GetDouble(), scored.GetProperty("probability").GetDouble());
        Assert.Equal(0, scored.GetProperty("top_reasons").GetArrayLength());
    }

    [Fact]
    public async Task PredictBatch_ReasonsFalse_ScoresEachWithoutReasons()
    {
        var response = await PostAsync("/api/predict/batch?reasons=false", $"[{Customer},{Customer}]");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.All(results.EnumerateArray(), r => Assert.Equal(0, r.GetProperty("top_reasons").GetArrayLength()));
    }

    [Fact]
    public async Task PredictBatch_ManyDifferentCustomers_AnswersEachAsTheSingleRouteDoes()
    {
        // The batch route scores all rows in one blocked pass; every answer must still equal the one-customer route's.
        var random = new Random(8);
        var customers = Enumerable.Range(0, 40).Select(i => Customer
            .Replace("\"C42\"", $"\"C{i}\"", StringComparison.Ordinal)
            .Replace("\"total_spent\":640.5", i % 7 == 0 ? "\"total_spent\":null" : $"\"total_spent\":{random.Next(10, 5000)}.25", StringComparison.Ordinal)
            .Replace("\"logins_last_30_days\":0", $"\"logins_last_30_days\":{random.Next(0, 30)}", StringComparison.Ordinal)
            .Replace("\"support_tickets\":4", $"\"support_tickets\":{random.Next(0, 12)}", StringComparison.Ordinal)).ToList();

        var batch = await (await PostAsync("/api/predict/batch", $"[{string.Join(',', customers)}]")).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(customers.Count, batch.GetArrayLength());
        for (var i = 0; i < customers.Count; i++)
        {
            var single = await (await PostAsync("/api/predict", customers[i])).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(single.GetRawText(), batch[i].GetRawText());
        }
    }

    [Fact]
    public async Task CurrentModel_ReturnsTheServedVersion()
    {
        var response = await _client.GetAsync("/api/models/current");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"version\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
