using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ChurnFlows.Lifecycle.Serving;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChurnFlows.Functions.Tests.Http;

/// <summary>
/// The one-customer route reads its body in one pass over the UTF-8 bytes: every way of writing the same
/// customer (any property order, unknown and repeated properties, escapes, other spellings of a number) must
/// get the answer of its plain form, malformed bodies the parser's own message, and the answer must be what
/// the API's serializer writes.
/// </summary>
[Collection(ProductionModelCollection.Name)]
public sealed class SingleBodyFormsTests(ServedModelFixture served) : IClassFixture<ServedModelFixture>
{
    private const string Plain =
        "{\"customer_id\":\"C7\",\"signup_date\":\"2023-01-15\",\"total_purchases\":12,\"total_spent\":640.5,\"customer_lifetime_months\":17," +
        "\"support_tickets\":4,\"support_resolution_time\":52.0,\"emails_sent\":60,\"emails_opened\":9,\"last_purchase_date\":\"2026-04-02\"," +
        "\"last_login_date\":\"2026-05-01\",\"logins_last_30_days\":0,\"products_owned\":1,\"feature_usage_score\":22.5}";

    private readonly HttpClient _client = served.Client;

    /// <summary>The API's serializer options, as the app configured them.</summary>
    private readonly JsonSerializerOptions _api = served.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

    public static TheoryData<string, string> SameCustomers => new()
    {
        {
            "{\"note\":{\"total_spent\":[1,{\"x\":null}],\"s\":\"}\"},\"feature_usage_score\":22.5,\"products_owned\":1,\"logins_last_30_days\":0,\"last_login_date\":\"2026-05-01\"," +
            "\"last_purchase_date\":\"2026-04-02\",\"emails_opened\":9,\"emails_sent\":60,\"support_resolution_time\":52.0,\"support_tickets\":4,\"customer_lifetime_months\":17," +
            "\"total_spent\":640.5,\"total_purchases\":12,\"signup_date\":\"2023-01-15\",\"customer_id\":\"C7\",\"extra\":[true,false]}",
            Plain
        },
        {
            "{\"total_spent\":\"many\",\"total_spent\":99.5,\"support_tickets\":3,\"support_tickets\":null,\"customer_id\":\"X\",\"customer_id\":\"C-last\"}",
            "{\"total_spent\":99.5,\"customer_id\":\"C-last\"}"
        },
        {
            "{\"customer\\u005fid\":\"C\\u00e9\\\"q\",\"last_login_date\":\"2026\\u002d05\\u002d01\",\"signup\\u005Fdate\":\"2023-01-15\",\"total_spent\":1e2,\"emails_sent\":6.0E1,\"products_owned\":-0}",
            "{\"customer_id\":\"C\u00e9\\\"q\",\"last_login_date\":\"2026-05-01\",\"signup_date\":\"2023-01-15\",\"total_spent\":100,\"emails_sent\":60,\"products_owned\":0}"
        },
        { " \n\t{\"total_spent\":640.50000, \"emails_opened\" : 9.0 }\r\n ", "{\"total_spent\":640.5,\"emails_opened\":9}" },
        { "{\"customer_id\":null,\"total_spent\":null}", "{}" },
    };

    [Theory]
    [MemberData(nameof(SameCustomers))]
    public async Task Predict_AnotherFormOfTheSameCustomer_AnswersAsItsPlainForm(string form, string plain)
    {
        var expected = await PostAsync(plain);
        var response = await PostAsync(form);

        Assert.Equal(HttpStatusCode.OK, expected.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(await expected.Content.ReadAsStringAsync(), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Predict_BodyArrivingInManyPiecesWithoutALength_AnswersAsItsPlainForm()
    {
        var padded = Plain.Replace(",", "," + new string(' ', 2_000), StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/predict") { Content = new PiecewiseContent(Encoding.UTF8.GetBytes(padded), 1_000) };
        request.Headers.TransferEncodingChunked = true;

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(await (await PostAsync(Plain)).Content.ReadAsStringAsync(), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Predict_OversizedBodyWithoutALength_Returns413()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/predict") { Content = new PiecewiseContent(Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', 70_000) + "\"}"), 4_096) };
        request.Headers.TransferEncodingChunked = true;

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("exceeds 65536 bytes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"total_spent\":1")]
    [InlineData("{\"total_spent\":1} x")]
    [InlineData("{\"total_spent\":1}{}")]
    [InlineData("{\"total_spent\":1,}")]
    [InlineData("{'total_spent':1}")]
    [InlineData("{\"total_spent\":01}")]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Predict_Malformed_Returns400WithTheParsersMessage(string body)
    {
        var parser = Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));

        var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Malformed JSON", problem.GetProperty("title").GetString());
        Assert.Equal($"The body is not valid JSON: {parser.Message}", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("5", "Number")]
    [InlineData("null", "Null")]
    [InlineData("[{\"total_spent\":1}]", "Array")]
    [InlineData("\"text\"", "String")]
    public async Task Predict_NotAnObject_NamesTheBodyAsAWhole(string body, string kind)
    {
        var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var only = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject());
        Assert.Equal("$", only.Name);
        Assert.Equal($"expected a JSON object, got {kind}", only.Value[0].GetString());
    }

    [Fact]
    public async Task Predict_SeveralBadFields_NamesEachByItsPropertyName()
    {
        var response = await PostAsync("{\"support_tickets\":-1,\"products_owned\":1.5,\"total_spent\":\"many\",\"emails_opened\":{\"a\":1},\"signup_date\":20230115}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().ToDictionary(e => e.Name, e => e.Value[0].GetString(), StringComparer.Ordinal);
        Assert.Equal(["emails_opened", "products_owned", "signup_date", "support_tickets", "total_spent"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("expected a number, got object", errors["emails_opened"]);
        Assert.Equal("expected a whole number (got 1.5)", errors["products_owned"]);
        Assert.Equal("expected a date string (yyyy-MM-dd)", errors["signup_date"]);
        Assert.Equal("must not be negative (got -1)", errors["support_tickets"]);
        Assert.Equal("expected a number, got string", errors["total_spent"]);
    }

    [Theory]
    [InlineData("/api/predict")]
    [InlineData("/api/predict?reasons=false")]
    public async Task Predict_Answer_IsWhatTheApisSerializerWritesWithItsLength(string route)
    {
        var response = await _client.PostAsync(route, new StringContent(Plain.Replace("\"C7\"", "\"C\u00e9<&>\\\"7\"", StringComparison.Ordinal), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        var result = JsonSerializer.Deserialize<PredictionResult>(bytes, _api)!;
        Assert.Equal("C\u00e9<&>\"7", result.CustomerId);
        Assert.Equal(Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(result, _api)), Encoding.UTF8.GetString(bytes));
    }

    private Task<HttpResponseMessage> PostAsync(string body) =>
        _client.PostAsync("/api/predict", new StringContent(body, Encoding.UTF8, "application/json"));

    /// <summary>A JSON body sent in pieces with a flush after each and no length, as a streaming client sends it.</summary>
    private sealed class PiecewiseContent(byte[] body, int piece) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var at = 0; at < body.Length; at += piece)
            {
                await stream.WriteAsync(body.AsMemory(at, Math.Min(piece, body.Length - at)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
