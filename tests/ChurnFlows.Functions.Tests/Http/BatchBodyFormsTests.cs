using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ChurnFlows.Functions.Tests.Http;

/// <summary>
/// The batch route reads its body in one pass over the UTF-8 bytes; every form of a customer the one-customer
/// route accepts (any property order, repeated and unknown properties, escapes) must get the same answer, and
/// every bad row the same field name and problem text.
/// </summary>
[Collection(ProductionModelCollection.Name)]
public sealed class BatchBodyFormsTests(ServedModelFixture served) : IClassFixture<ServedModelFixture>
{
    private static readonly string[] Properties =
    [
        "\"customer_id\":\"C7\"", "\"signup_date\":\"2023-01-15\"", "\"total_purchases\":12", "\"total_spent\":640.5", "\"customer_lifetime_months\":17",
        "\"support_tickets\":4", "\"support_resolution_time\":52.0", "\"emails_sent\":60", "\"emails_opened\":9", "\"last_purchase_date\":\"2026-04-02\"",
        "\"last_login_date\":\"2026-05-01\"", "\"logins_last_30_days\":0", "\"products_owned\":1", "\"feature_usage_score\":22.5",
    ];

    private readonly HttpClient _client = served.Client;

    private Task<HttpResponseMessage> PostAsync(string path, string body, string mediaType = "application/json") =>
        _client.PostAsync(path, new StringContent(body, Encoding.UTF8, mediaType));

    [Fact]
    public async Task PredictBatch_ShuffledRepeatedUnknownAndEscapedProperties_AnswersAsTheSingleRouteDoes()
    {
        var random = new Random(5);
        var customers = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var properties = Properties.OrderBy(_ => random.Next()).Select(p => p.Replace("\"C7\"", $"\"C{i}\"", StringComparison.Ordinal)).ToList();
            properties.Insert(random.Next(properties.Count), "\"note\":{\"total_spent\":[1,{\"x\":null}],\"s\":\"}\"}");
            customers.Add("{" + string.Join(',', properties) + "}");
        }

        customers.Add("{\"total_spent\":\"many\",\"total_spent\":99.5,\"support_tickets\":3,\"support_tickets\":null,\"customer_id\":\"X\",\"customer_id\":\"C-last\"}");
        customers.Add("{\"customer\\u005fid\":\"C\\u00e9\\\"q\",\"last_login_date\":\"2026\\u002d05\\u002d01\",\"signup\\u005Fdate\":\"2023-01-15\",\"total_spent\":1e2,\"emails_sent\":6.0E1,\"products_owned\":-0}");
        customers.Add("{\"customer_id\":42,\"last_purchase_date\":\" 2026-04-02 \",\"feature_usage_score\":0.30000000000000004,\"total_spent\":123456789012345678}");
        customers.Add("{}");

        var response = await PostAsync("/api/predict/batch?reasons=false", $"[{string.Join(",\n ", customers)}]");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var batch = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(customers.Count, batch.GetArrayLength());
        for (var i = 0; i < customers.Count; i++)
        {
            var single = await (await PostAsync("/api/predict?reasons=false", customers[i])).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(single.GetRawText(), batch[i].GetRawText());
        }
    }

    [Fact]
    public async Task PredictBatch_BadRows_NameTheFieldsAndProblemsOfTheSingleRoute()
    {
        string[] rows =
        [
            "{\"customer_id\":\"C1\",\"total_purchases\":12}", "5", "null", "\"text\"", "[1,2]", "true",
            "{\"support_tickets\":-1,\"products_owned\":1.5,\"total_spent\":\"many\",\"emails_sent\":true,\"emails_opened\":{\"a\":1}}",
            "{\"last_login_date\":\"yesterday\",\"signup_date\":20230115,\"last_purchase_date\":[\"2026-04-02\"],\"logins_last_30_days\":[]}",
            "{\"total_spent\":1,\"total_spent\":\"late\",\"support_tickets\":\"x\",\"support_tickets\":2}",
        ];
        var expected = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Length; i++)
        {
            var single = await PostAsync("/api/predict", rows[i]);
            if (single.StatusCode == HttpStatusCode.BadRequest)
            {
                foreach (var error in (await single.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject())
                {
                    expected[error.Name == "$" ? $"[{i}]" : $"[{i}].{error.Name}"] = [.. error.Value.EnumerateArray().Select(p => p.GetString()!)];
                }
            }
        }

        var response = await PostAsync("/api/predict/batch", $"[{string.Join(',', rows)}]");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().ToDictionary(e => e.Name, e => e.Value.EnumerateArray().Select(p => p.GetString()!).ToArray(), StringComparer.Ordinal);
        Assert.Equal(expected.Keys, errors.Keys);
        Assert.All(expected, e => Assert.Equal(e.Value, errors[e.Key]));
    }

    [Theory]
    [InlineData("[{\"total_spent\":1},{\"total_spent\":2}, {\"total_spent\":")]
    [InlineData("[{\"total_spent\":1}] x")]
    [InlineData("[{\"total_spent\":-1},]")]
    [InlineData("{\"total_spent\":1")]
    [InlineData("")]
    public async Task PredictBatch_MalformedAnywhere_Returns400WithTheParsersMessage(string body)
    {
        var parser = Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));

        var response = await PostAsync("/api/predict/batch", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Malformed JSON", problem.GetProperty("title").GetString());
        Assert.Equal($"The body is not valid JSON: {parser.Message}", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("{}", "expected a JSON array of customers")]
    [InlineData("7", "expected a JSON array of customers")]
    [InlineData("[]", "this one has 0")]
    [InlineData("[{\"total_spent\":-1}, REPEAT]", "this one has 10001")]
    public async Task PredictBatch_NotAnArrayOrWrongCount_IsABatchError(string body, string problem)
    {
        body = body.Replace("REPEAT", string.Join(',', Enumerable.Repeat("{\"total_spent\":\"x\"}", 10_000)), StringComparison.Ordinal);

        var response = await PostAsync("/api/predict/batch", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        var only = Assert.Single(errors.EnumerateObject());
        Assert.Equal("$", only.Name);
        Assert.Contains(problem, only.Value[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PredictBatch_CsvWithQuotedFields_AnswersAsTheSingleRouteDoes()
    {
        var csv = "feature_usage_score,\"customer_id\",total_spent,signup_date,note,last_login_date\r\n"
            + "22.5,\"C,1\",\"640.5\",2023-01-15,\"a \"\"quoted\"\"\nline\",2026-05-01\r\n"
            + "\" 7 \",C2,,\"2023-02-01\",x,\r\n";
        string[] singles =
        [
            "{\"feature_usage_score\":22.5,\"customer_id\":\"C,1\",\"total_spent\":640.5,\"signup_date\":\"2023-01-15\",\"last_login_date\":\"2026-05-01\"}",
            "{\"feature_usage_score\":7,\"customer_id\":\"C2\",\"signup_date\":\"2023-02-01\"}",
        ];

        var response = await PostAsync("/api/predict/batch?reasons=false", csv, "text/csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var batch = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(singles.Length, batch.GetArrayLength());
        for (var i = 0; i < singles.Length; i++)
        {
            var single = await (await PostAsync("/api/predict?reasons=false", singles[i])).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(single.GetRawText(), batch[i].GetRawText());
        }
    }
}
