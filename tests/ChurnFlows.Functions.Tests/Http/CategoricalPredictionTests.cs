using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ChurnFlows.ML.Data;
using ChurnFlows.TestKit;

namespace ChurnFlows.Functions.Tests.Http;

/// <summary>Serves a model trained on a user's own schema whose <c>plan</c> column is categorical.</summary>
public sealed class PlanModelFixture : ServedModelFixture
{
    protected override TabularDataset TrainingData() => DatasetReader.Read(new StringReader(PlanChurnData.ToCsv(4_000, seed: 12)), PlanChurnData.Schema).Dataset;
}

[Collection(ProductionModelCollection.Name)]
public sealed class CategoricalPredictionTests(PlanModelFixture served) : IClassFixture<PlanModelFixture>
{
    private readonly HttpClient _client = served.Client;

    private static string Account(string plan) => $$"""{"account":"A7","plan":{{plan}},"tenure_months":6,"monthly_fee":25.5}""";

    private Task<HttpResponseMessage> PostAsync(string path, string body, string mediaType = "application/json") =>
        _client.PostAsync(path, new StringContent(body, Encoding.UTF8, mediaType));

    [Fact]
    public async Task Predict_CategoryString_IsScored_AndTheReasonNamesTheCategory()
    {
        var response = await PostAsync("/api/predict", Account("\"trial\""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reasons = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("top_reasons").EnumerateArray().ToList();
        var plan = Assert.Single(reasons, r => r.GetProperty("feature").GetString() == "plan");
        Assert.Equal("trial", plan.GetProperty("category").GetString());
        Assert.True(plan.GetProperty("contribution").GetDouble() > 0);
        Assert.All(reasons.Where(r => r.GetProperty("feature").GetString() != "plan"), r => Assert.False(r.TryGetProperty("category", out _)));
    }

    [Theory]
    [InlineData("\"platinum\"")]
    [InlineData("42")]
    [InlineData("\"\"")]
    [InlineData("null")]
    public async Task Predict_UnknownNumericOrMissingCategory_IsScoredNotRefused(string plan)
    {
        var response = await PostAsync("/api/predict", Account(plan));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("probability").GetDouble(), 0, 1);
    }

    [Theory]
    [InlineData("/api/predict", "{\"tier\":\"trial\"}", "plan")]
    [InlineData("/api/predict/batch", "[\"trial\"]", "[1].plan")]
    public async Task Predict_CategoryObjectOrArray_Returns400NamingTheField(string path, string plan, string field)
    {
        var body = path.EndsWith("batch", StringComparison.Ordinal) ? $"[{Account("\"basic\"")},{Account(plan)}]" : Account(plan);

        var response = await PostAsync(path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("expected a category string", json.RootElement.GetProperty("errors").GetProperty(field)[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PredictBatch_CategoriesWithEscapesNumbersAndSpaces_AnswerAsTheSingleRouteDoes()
    {
        string[] customers =
        [
            Account("\"tri\\u0061l\""), Account("\" business \""), Account("7"), Account("1.50"), Account("true"), Account("\"NA\""), Account("\"pl\\u00e4tinum\""),
            "{\"pl\\u0061n\":\"trial\",\"account\":\"A\\u0031\",\"tenure_months\":6,\"plan\":\"business\"}",
        ];

        var batch = await (await PostAsync("/api/predict/batch", $"[{string.Join(',', customers)}]")).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(customers.Length, batch.GetArrayLength());
        for (var i = 0; i < customers.Length; i++)
        {
            var single = await (await PostAsync("/api/predict", customers[i])).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(single.GetRawText(), batch[i].GetRawText());
        }
    }

    [Fact]
    public async Task PredictBatch_Csv_ScoresEachRowWithItsCategory_LikeJson()
    {
        var csv = "account,plan,tenure_months,monthly_fee\nA1,trial,6,25.5\nA2,business,6,25.5\nA3,platinum,6,25.5\n";

        var response = await PostAsync("/api/predict/batch", csv, "text/csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
        Assert.Equal(["A1", "A2", "A3"], results.Select(r => r.GetProperty("customer_id").GetString()));
        var single = await (await PostAsync("/api/predict", Account("\"trial\""))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(single.GetProperty("probability").GetDouble(), results[0].GetProperty("probability").GetDouble());
        Assert.True(results[0].GetProperty("probability").GetDouble() > results[1].GetProperty("probability").GetDouble());
    }

    [Fact]
    public async Task PredictBatch_CsvWithBadCell_Returns400NamingRowAndColumn()
    {
        var response = await PostAsync("/api/predict/batch", "account,plan,tenure_months\nA1,trial,6\nA2,basic,six\n", "text/csv");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("[1].tenure_months", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync("/api/predict/batch", string.Empty, "text/csv")).StatusCode);
    }
}
