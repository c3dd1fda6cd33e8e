using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ChurnFlows.Functions.Tests.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ChurnFlows.Functions.Tests.Http.Durable;

/// <summary>The app standalone with an in-memory hub and the test orchestrations (Echo, AwaitApproval, Fail).</summary>
public sealed class ManagementAppFixture : AppFixture
{
    protected override WebApplicationFactory<Program> CreateFactory(string storageConnectionString) =>
        FunctionsApp.Create(new Dictionary<string, string?> { ["ChurnFlows:HostMode"] = "Standalone", ["AzureWebJobsStorage"] = storageConnectionString });
}

public sealed class DurableManagementEndpointsTests(ManagementAppFixture app) : IClassFixture<ManagementAppFixture>
{
    private readonly HttpClient _client = app.Client;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<JsonElement> StatusWhenAsync(string statusUri, Func<JsonElement, bool> done)
    {
        // Generous: the app's worker starts once its storage answers, which on a loaded machine takes seconds.
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            var response = await _client.GetAsync(statusUri);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (done(body))
            {
                return body;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"{statusUri} never reached the expected state");
    }

    [Theory]
    [InlineData("/runtime/webhooks/durabletask")]
    [InlineData("/api/durabletask")]
    public async Task Start_Echo_Returns202CheckStatusOnTheRequestBaseThenCompletes(string prefix)
    {
        var id = $"echo-{Guid.NewGuid():N}";
        var response = await _client.PostAsync($"{prefix}/orchestrators/Echo/{id}", Json("\"hi\""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var payload = await response.Content.ReadFromJsonAsync<JsonElement>();
        var statusUri = payload.GetProperty("statusQueryGetUri").GetString()!;
        Assert.Equal(id, payload.GetProperty("id").GetString());
        Assert.Equal($"http://localhost{prefix}/instances/{id}", statusUri);
        Assert.Equal(statusUri, response.Headers.Location?.ToString());
        Assert.Equal($"http://localhost{prefix}/instances/{id}/raiseEvent/{{eventName}}", payload.GetProperty("sendEventPostUri").GetString());
        Assert.Equal($"http://localhost{prefix}/instances/{id}/terminate?reason={{text}}", payload.GetProperty("terminatePostUri").GetString());
        Assert.Equal(statusUri, payload.GetProperty("purgeHistoryDeleteUri").GetString());
        Assert.Equal("10", response.Headers.RetryAfter?.ToString());

        var done = await StatusWhenAsync(statusUri, s => s.GetProperty("runtimeStatus").GetString() == "Completed");
        Assert.Equal("Echo", done.GetProperty("name").GetString());
        Assert.Equal(id, done.GetProperty("instanceId").GetString());
        Assert.Equal("hi", done.GetProperty("input").GetString());
        Assert.Equal("echo:hi", done.GetProperty("output").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", done.GetProperty("createdTime").GetString());
        Assert.False(done.TryGetProperty("historyEvents", out _));
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(statusUri)).StatusCode);
    }

    [Fact]
    public async Task Start_BehindTheHost_UrlsUseTheForwardedPublicHost()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/durabletask/orchestrators/Echo") { Content = Json("1") };
        request.Headers.Add("X-Forwarded-Host", "churnflows.azurewebsites.net");
        request.Headers.Add("X-Forwarded-Proto", "https");

        var payload = await (await _client.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.StartsWith("https://churnflows.azurewebsites.net/api/durabletask/instances/", payload.GetProperty("statusQueryGetUri").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithTimeout_Returns200WithTheFinishedStatus()
    {
        var response = await _client.PostAsync("/api/durabletask/orchestrators/Echo?timeout=10&pollingInterval=1", Json("\"soon\""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var status = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Completed", status.GetProperty("runtimeStatus").GetString());
        Assert.Equal("echo:soon", status.GetProperty("output").GetString());
    }

    [Fact]
    public async Task Status_ShowHistory_ListsEventsAndHidesInputWhenAsked()
    {
        var id = $"hist-{Guid.NewGuid():N}";
        await _client.PostAsync($"/api/durabletask/orchestrators/Echo/{id}", Json("\"x\""));
        await StatusWhenAsync($"/api/durabletask/instances/{id}", s => s.GetProperty("runtimeStatus").GetString() == "Completed");

        var body = await _client.GetFromJsonAsync<JsonElement>($"/api/durabletask/instances/{id}?showHistory=true&showHistoryOutput=true&showInput=false");

        Assert.Equal(JsonValueKind.Null, body.GetProperty("input").ValueKind);
        var types = body.GetProperty("historyEvents").EnumerateArray().Select(e => e.GetProperty("EventType").GetString()).ToList();
        Assert.Equal("ExecutionStarted", types[0]);
        Assert.Equal("ExecutionCompleted", types[^1]);
        Assert.DoesNotContain("OrchestratorStarted", types);
        Assert.Equal("echo:x", body.GetProperty("historyEvents")[types.Count - 1].GetProperty("Result").GetString());
    }

    [Fact]
    public async Task RaiseEvent_WaitingInstance_202ThenCompletesWithThePayload()
    {
        var id = $"wait-{Guid.NewGuid():N}";
        await _client.PostAsync($"/api/durabletask/orchestrators/AwaitApproval/{id}", Json("\"run-7\""));
        var running = await _client.GetAsync($"/api/durabletask/instances/{id}");
        Assert.Equal(HttpStatusCode.Accepted, running.StatusCode);
        Assert.Equal("5", running.Headers.RetryAfter?.ToString());

        var raised = await _client.PostAsync($"/api/durabletask/instances/{id}/raiseEvent/Approve", Json("\"yes\""));

        Assert.Equal(HttpStatusCode.Accepted, raised.StatusCode);
        var done = await StatusWhenAsync($"/api/durabletask/instances/{id}", s => s.GetProperty("runtimeStatus").GetString() == "Completed");
        Assert.Equal("run-7:yes", done.GetProperty("output").GetString());
        Assert.Equal(HttpStatusCode.Gone, (await _client.PostAsync($"/api/durabletask/instances/{id}/raiseEvent/Approve", Json("\"again\""))).StatusCode);
    }

    [Fact]
    public async Task Terminate_RunningInstance_202ThenTerminatedThenPurge200Then404()
    {
        var id = $"term-{Guid.NewGuid():N}";
        await _client.PostAsync($"/runtime/webhooks/durabletask/orchestrators/AwaitApproval/{id}", Json("\"r\""));
        Assert.Equal(HttpStatusCode.Conflict, (await _client.DeleteAsync($"/runtime/webhooks/durabletask/instances/{id}")).StatusCode);

        var terminated = await _client.PostAsync($"/runtime/webhooks/durabletask/instances/{id}/terminate?reason=operator%20said%20so", null);

        Assert.Equal(HttpStatusCode.Accepted, terminated.StatusCode);
        var done = await StatusWhenAsync($"/runtime/webhooks/durabletask/instances/{id}", s => s.GetProperty("runtimeStatus").GetString() == "Terminated");
        Assert.Equal("operator said so", done.GetProperty("output").GetString());
        Assert.Equal(HttpStatusCode.Gone, (await _client.PostAsync($"/runtime/webhooks/durabletask/instances/{id}/terminate", null)).StatusCode);

        var purged = await _client.DeleteAsync($"/runtime/webhooks/durabletask/instances/{id}");
        Assert.Equal(HttpStatusCode.OK, purged.StatusCode);
        Assert.Equal(1, (await purged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("instancesDeleted").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/runtime/webhooks/durabletask/instances/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync($"/runtime/webhooks/durabletask/instances/{id}")).StatusCode);
    }

    [Fact]
    public async Task SuspendResume_RunningInstance_StatusFollows()
    {
        var id = $"susp-{Guid.NewGuid():N}";
        await _client.PostAsync($"/api/durabletask/orchestrators/AwaitApproval/{id}", null);
        await StatusWhenAsync($"/api/durabletask/instances/{id}", s => s.GetProperty("runtimeStatus").GetString() == "Running");

        Assert.Equal(HttpStatusCode.Accepted, (await _client.PostAsync($"/api/durabletask/instances/{id}/suspend?reason=pause", null)).StatusCode);
        var suspended = await StatusWhenAsync($"/api/durabletask/instances/{id}", s => s.GetProperty("runtimeStatus").GetString() == "Suspended");
        Assert.Equal(JsonValueKind.Null, suspended.GetProperty("input").ValueKind);
        Assert.Equal(HttpStatusCode.Accepted, (await _client.PostAsync($"/api/durabletask/instances/{id}/resume", null)).StatusCode);
        await StatusWhenAsync($"/api/durabletask/instances/{id}", s => s.GetProperty("runtimeStatus").GetString() == "Running");
        await _client.PostAsync($"/api/durabletask/instances/{id}/terminate", null);
    }

    [Fact]
    public async Task Status_FailedInstance_200Or500WhenAsked()
    {
        var id = $"fail-{Guid.NewGuid():N}";
        await _client.PostAsync($"/api/durabletask/orchestrators/Fail/{id}", null);
        var failed = await StatusWhenAsync($"/api/durabletask/instances/{id}", s => s.GetProperty("runtimeStatus").GetString() == "Failed");

        Assert.Contains("failed on purpose", failed.GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/api/durabletask/instances/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, (await _client.GetAsync($"/api/durabletask/instances/{id}?returnInternalServerErrorOnFailure=true")).StatusCode);
    }

    [Fact]
    public async Task List_FilteredByPrefixAndStatus_ReturnsMatchingInstances()
    {
        var prefix = $"list-{Guid.NewGuid():N}";
        await _client.PostAsync($"/api/durabletask/orchestrators/Echo/{prefix}-a", null);
        await _client.PostAsync($"/api/durabletask/orchestrators/AwaitApproval/{prefix}-b", null);
        await StatusWhenAsync($"/api/durabletask/instances/{prefix}-a", s => s.GetProperty("runtimeStatus").GetString() == "Completed");

        var all = await _client.GetFromJsonAsync<JsonElement>($"/api/durabletask/instances?instanceIdPrefix={prefix}");
        var completed = await _client.GetFromJsonAsync<JsonElement>($"/api/durabletask/instances?instanceIdPrefix={prefix}&runtimeStatus=Completed,Failed&createdTimeFrom=2020-01-01T00:00:00Z");

        Assert.Equal(2, all.GetArrayLength());
        Assert.Equal($"{prefix}-a", Assert.Single(completed.EnumerateArray()).GetProperty("instanceId").GetString());
        await _client.PostAsync($"/api/durabletask/instances/{prefix}-b/terminate", null);
    }

    [Theory]
    [InlineData("GET", "/api/durabletask/instances?runtimeStatus=Sleeping", null, "runtimeStatus")]
    [InlineData("GET", "/api/durabletask/instances?createdTimeFrom=yesterday", null, "createdTimeFrom")]
    [InlineData("GET", "/api/durabletask/instances?top=0", null, "top")]
    [InlineData("GET", "/api/durabletask/instances/x?showHistory=maybe", null, "showHistory")]
    [InlineData("POST", "/api/durabletask/orchestrators/NoSuchOrchestrator", null, "name")]
    [InlineData("POST", "/api/durabletask/orchestrators/Echo", "{not json", "body")]
    [InlineData("DELETE", "/api/durabletask/instances", null, "createdTimeFrom")]
    public async Task Routes_BadInput_Answer400NamingTheField(string method, string path, string? body, string field)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : Json(body) };

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task RaiseEvent_NotJsonContentType_Answers400()
    {
        var id = $"ct-{Guid.NewGuid():N}";
        await _client.PostAsync($"/api/durabletask/orchestrators/AwaitApproval/{id}", null);

        var response = await _client.PostAsync($"/api/durabletask/instances/{id}/raiseEvent/Approve", new StringContent("yes", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await _client.PostAsync($"/api/durabletask/instances/{id}/terminate", null);
    }

    [Fact]
    public async Task UnknownInstance_Answers404Everywhere()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/durabletask/instances/nobody")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsync("/api/durabletask/instances/nobody/raiseEvent/E", Json("1"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsync("/api/durabletask/instances/nobody/terminate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync("/api/durabletask/instances/nobody")).StatusCode);
    }

    [Fact]
    public async Task Start_SameIdWhileRunning_Answers409()
    {
        var id = $"dup-{Guid.NewGuid():N}";
        await _client.PostAsync($"/api/durabletask/orchestrators/AwaitApproval/{id}", null);

        Assert.Equal(HttpStatusCode.Conflict, (await _client.PostAsync($"/api/durabletask/orchestrators/AwaitApproval/{id}", null)).StatusCode);
        await _client.PostAsync($"/api/durabletask/instances/{id}/terminate", null);
    }
}
