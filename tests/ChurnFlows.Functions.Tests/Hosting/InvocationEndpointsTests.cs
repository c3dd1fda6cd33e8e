using System.Net;
using System.Text;
using System.Text.Json;
using ChurnFlows.Functions.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChurnFlows.Functions.Tests.Hosting;

/// <summary>Hosts the app as the Functions host would run it, with one timer, blob and queue function.</summary>
public sealed class HostModeAppFixture : AppFixture
{
    public InvocationRecorder Recorder => Factory.Services.GetRequiredService<InvocationRecorder>();

    protected override WebApplicationFactory<Program> CreateFactory(string storageConnectionString) => FunctionsApp.Create(
        new Dictionary<string, string?> { ["ChurnFlows:HostMode"] = "FunctionsHost", ["AzureWebJobsStorage"] = storageConnectionString },
        table => table
            .AddTimer<RecordingHandler>("DriftTimer", "0 0 * * * *")
            .AddBlob<RecordingHandler>("IngestBlob", "churn-incoming/drops/{name}")
            .AddQueue<RecordingHandler>("WorkQueue", "churn-work"));
}

public sealed class InvocationEndpointsTests(HostModeAppFixture app) : IClassFixture<HostModeAppFixture>
{
    private async Task<(HttpResponseMessage Response, JsonElement Body, TriggerInvocation? Invocation)> InvokeAsync(string function, string payload)
    {
        var invocationId = Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + function) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Azure-Functions-InvocationId", invocationId);
        request.Headers.Add("X-Azure-Functions-HostVersion", "4.1040.0");
        var response = await app.Client.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return (response, body, app.Recorder.Invocations.FirstOrDefault(i => i.InvocationId == invocationId));
    }

    private static void AssertHostResult(JsonElement body, string function)
    {
        Assert.Equal(JsonValueKind.Object, body.GetProperty("Outputs").ValueKind);
        Assert.Contains($"handled {function}", body.GetProperty("Logs").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("ReturnValue").ValueKind);
    }

    [Fact]
    public async Task Timer_HostPayload_RunsHandlerWithTimerInfo()
    {
        const string payload = """
            {"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"2026-03-01T10:00:00.003967+00:00","Next":"2026-03-01T11:00:00+00:00","LastUpdated":"2026-03-01T10:00:00.003967+00:00"},"IsPastDue":true}},
             "Metadata":{"sys":{"MethodName":"DriftTimer","UtcNow":"2026-03-01T11:00:00.01Z","RandGuid":"0b3bd0b0-1b7e-4bd3-9fd0-0c7de5a8e9c1"}}}
            """;

        var (response, body, invocation) = await InvokeAsync("DriftTimer", payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertHostResult(body, "DriftTimer");
        Assert.NotNull(invocation?.Timer);
        Assert.True(invocation.Timer.IsPastDue);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 11, 0, 0, TimeSpan.Zero), invocation.Timer.Next);
    }

    [Fact]
    public async Task Blob_HostPayloadWithBase64AndDoubleEncodedMetadata_RunsHandlerWithBytesAndName()
    {
        var csv = "customer_id,churned\nC1,1\n";
        var payload = $$"""
            {"Data":{"blob":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes(csv))}}"},
             "Metadata":{"Uri":"\"http://127.0.0.1:10000/devstoreaccount1/churn-incoming/drops/march.csv\"","name":"\"march.csv\"",
               "Properties":{"ETag":"\"0x8DC3A1B2C3D4E5F\"","Length":25,"ContentType":"text/csv"},"Metadata":{"source":"\"crm\""},
               "sys":{"MethodName":"IngestBlob","UtcNow":"2026-03-01T11:00:00Z","RandGuid":"5d0f4a3e-08c4-4e0f-9d8e-7e3c1f3e2a10"} } }
            """;

        var (response, body, invocation) = await InvokeAsync("IngestBlob", payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertHostResult(body, "IngestBlob");
        var blob = invocation?.Blob;
        Assert.NotNull(blob);
        Assert.Equal("churn-incoming", blob.Container);
        Assert.Equal("drops/march.csv", blob.Name);
        Assert.Equal(csv, blob.Content.ToString());
        Assert.Equal("0x8DC3A1B2C3D4E5F", blob.ETag);
        Assert.Equal("crm", blob.Metadata["source"]);
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1/churn-incoming/drops/march.csv", blob.Uri?.ToString());
    }

    [Theory]
    [InlineData("\"\\\"retrain please\\\"\"", "retrain please")]
    [InlineData("\"\\\"{\\\\\\\"version\\\\\\\":\\\\\\\"v7\\\\\\\"}\\\"\"", "{\"version\":\"v7\"}")]
    [InlineData("\"{ message: \\\"doc shape\\\" }\"", "{ message: \"doc shape\" }")]
    public async Task Queue_HostPayload_RunsHandlerWithDecodedText(string encodedMessage, string expected)
    {
        var payload = $$"""
            {"Data":{"message":{{encodedMessage}} },
             "Metadata":{"DequeueCount":"2","ExpirationTime":"2026-03-08T11:00:00+00:00","Id":"\"800ae4b3-bdd2-4c08-badd-f08e5a34b865\"",
               "InsertionTime":"\"2026-03-01T11:00:00+00:00\"","NextVisibleTime":"2026-03-01T11:10:00+00:00","PopReceipt":"\"AgAAAAMAAAAAAAAAAgtnj8x+1QE=\"",
               "sys":{"MethodName":"WorkQueue","UtcNow":"2026-03-01T11:00:01Z","RandGuid":"24ad4c06-3b29-4b5a-8c4b-2b5d9a5b7e11"} } }
            """;

        var (response, body, invocation) = await InvokeAsync("WorkQueue", payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertHostResult(body, "WorkQueue");
        var message = invocation?.Queue;
        Assert.NotNull(message);
        Assert.Equal(expected, message.Text);
        Assert.Equal("800ae4b3-bdd2-4c08-badd-f08e5a34b865", message.MessageId);
        Assert.Equal(2, message.DequeueCount);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 11, 0, 0, TimeSpan.Zero), message.InsertedOn);
    }

    [Fact]
    public async Task Queue_HandlerThrows_Answers500SoTheHostRetries()
    {
        var (response, body, _) = await InvokeAsync("WorkQueue", """{"Data":{"message":"\"fail\""},"Metadata":{"DequeueCount":1}}""");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains(body.GetProperty("Logs").EnumerateArray(), l => l.GetString()!.Contains("asked to fail", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("IngestBlob", "not json", "$")]
    [InlineData("IngestBlob", "[1,2]", "Data")]
    [InlineData("IngestBlob", """{"Metadata":{}}""", "Data")]
    [InlineData("IngestBlob", """{"Data":{"other":"x"},"Metadata":{"name":"\"a.csv\""}}""", "Data.blob")]
    [InlineData("IngestBlob", """{"Data":{"blob":"%%not-base64%%"},"Metadata":{"name":"\"a.csv\""}}""", "Data.blob")]
    [InlineData("IngestBlob", """{"Data":{"blob":"aGk="},"Metadata":{}}""", "Metadata.name")]
    [InlineData("DriftTimer", """{"Data":{"timer":42}}""", "Data.timer")]
    [InlineData("WorkQueue", """{"Data":{"message":null}}""", "Data.message")]
    public async Task Invoke_MalformedPayload_Answers400NamingTheField(string function, string payload, string field)
    {
        var (response, body, _) = await InvokeAsync(function, payload);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for '{field}': {body}");
    }

    [Fact]
    public async Task Root_Get_Answers200ForTheHostReadinessProbe()
    {
        var response = await app.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
