using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChurnFlows.Functions.Hosting;
using ChurnFlows.Functions.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ChurnFlows.Functions.Tests.Deployment;

/// <summary>
/// infra/ as <c>azd up</c> deploys it: compiled and linted by the Bicep compiler (offline, from its NuGet
/// package), then the ARM template checked for what the app needs: keyless storage, a Flex Consumption app
/// with a managed identity and its storage roles, the Event Grid subscription for the blob trigger, and app
/// settings the app reads.
/// </summary>
public sealed class InfraTemplateTests
{
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";

    private static readonly Lazy<Task<(string Text, List<JsonObject> Resources)>> Template = new(BuildAsync);

    private static string RepositoryRoot => TestAssemblyMetadata.RepositoryRoot;

    [Fact]
    public async Task MainBicep_Lint_ReportsNothing()
    {
        var (exitCode, output, diagnostics) = await BicepAsync("lint", Path.Combine(RepositoryRoot, "infra", "main.bicep"));

        Assert.True(exitCode == 0 && output.Length + diagnostics.Length == 0, $"bicep lint exited {exitCode}:{Environment.NewLine}{output}{diagnostics}");
    }

    [Fact]
    public async Task Template_Storage_IsKeyless()
    {
        var (text, resources) = await Template.Value;

        var account = Assert.Single(resources, r => Type(r) == "Microsoft.Storage/storageAccounts");
        Assert.False(account["properties"]!["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.DoesNotContain("listKeys", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AccountKey=", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Template_FunctionApp_IsFlexConsumptionWithAManagedIdentityAndItsStorageRoles()
    {
        var (text, resources) = await Template.Value;

        var plan = Assert.Single(resources, r => Type(r) == "Microsoft.Web/serverfarms");
        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        var app = Assert.Single(resources, r => Type(r) == "Microsoft.Web/sites");
        Assert.Equal("functionapp,linux", (string?)app["kind"]);
        Assert.Equal("UserAssigned", (string?)app["identity"]!["type"]);
        Assert.Equal("custom", (string?)app["properties"]!["functionAppConfig"]!["runtime"]!["name"]);
        Assert.Contains(resources, r => Type(r) == "Microsoft.ManagedIdentity/userAssignedIdentities");
        Assert.Contains(resources, r => Type(r) == "Microsoft.Insights/components");
        Assert.Contains(resources, r => Type(r) == "Microsoft.Authorization/roleAssignments");
        Assert.All(new[] { StorageBlobDataOwner, StorageQueueDataContributor, StorageTableDataContributor }, role => Assert.Contains(role, text, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("post-deploy.sh")]
    [InlineData("post-deploy.ps1")]
    public async Task BlobTrigger_TheTemplatesEventGridTopic_IsSubscribedByThePostDeployHookToTheAppsBlobFunction(string script)
    {
        var (text, resources) = await Template.Value;
        var hook = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot, "infra", "scripts", script));
        await using var app = FunctionsApp.Create(new Dictionary<string, string?> { ["ChurnFlows:HostMode"] = "FunctionsHost" });
        var table = app.Services.GetRequiredService<FunctionTable>();

        // The webhook subscription needs the app's blobs_extension key, which exists only after deployment.
        Assert.Contains(resources, r => Type(r) == "Microsoft.EventGrid/systemTopics");
        var outputs = JsonNode.Parse(text)!["outputs"]!.AsObject();
        Assert.All(Regex.Matches(hook, @"AZURE_[A-Z_]+").Select(m => m.Value).Distinct(), name => Assert.True(outputs.ContainsKey(name), $"{script} reads {name}, which the template does not output"));
        var function = Regex.Match(hook, @"functionName=Host\.Functions\.(\w+)").Groups[1].Value;
        var blob = Assert.Single(table.Functions, f => f.Name == function);
        var container = Assert.IsType<BlobFunctionTrigger>(blob.Trigger).Path.Split('/')[0];
        Assert.Contains($"/containers/{container}/", hook, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_AppSettings_ConnectStorageByIdentity_AndAreSettingsTheAppReads()
    {
        var (_, resources) = await Template.Value;
        var sample = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot, "local.settings.sample.json")))!["Values"]!.AsObject();

        var app = Assert.Single(resources, r => Type(r) == "Microsoft.Web/sites");
        var names = app["properties"]!["siteConfig"]!["appSettings"]!.AsArray().Select(s => (string)s!["name"]!).ToList();

        Assert.Contains("AzureWebJobsStorage__accountName", names);
        Assert.Contains("AzureWebJobsStorage__credential", names);
        Assert.Contains("AzureWebJobsStorage__clientId", names);
        Assert.DoesNotContain("AzureWebJobsStorage", names);
        var unknown = names.Where(n => n.StartsWith("ChurnFlows__", StringComparison.Ordinal) && !sample.ContainsKey(n)).ToList();
        Assert.True(unknown.Count == 0, $"settings the app does not read: {string.Join(", ", unknown)}");
    }

    private static async Task<(string Text, List<JsonObject> Resources)> BuildAsync()
    {
        var (exitCode, output, diagnostics) = await BicepAsync("build", Path.Combine(RepositoryRoot, "infra", "main.bicep"), "--stdout");
        Assert.True(exitCode == 0 && diagnostics.Length == 0, $"bicep build exited {exitCode}:{Environment.NewLine}{diagnostics}");
        var resources = new List<JsonObject>();
        Collect(JsonNode.Parse(output)!, resources);
        return (output, resources);
    }

    /// <summary>Every resource of the template, nested deployments (modules) included.</summary>
    private static void Collect(JsonNode node, List<JsonObject> resources)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["type"] is JsonValue type && type.GetValueKind() == JsonValueKind.String && o.ContainsKey("apiVersion"))
                {
                    resources.Add(o);
                }

                foreach (var (_, child) in o)
                {
                    if (child is not null)
                    {
                        Collect(child, resources);
                    }
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    if (child is not null)
                    {
                        Collect(child, resources);
                    }
                }

                break;
        }
    }

    private static string? Type(JsonObject resource) => (string?)resource["type"];

    /// <summary>Runs the Bicep compiler; returns its exit code, its output and its diagnostics (standard error).</summary>
    private static async Task<(int ExitCode, string Output, string Diagnostics)> BicepAsync(params string[] arguments)
    {
        var bicep = TestAssemblyMetadata.Get("BicepPath");
        if (!OperatingSystem.IsWindows())
        {
            // Package extraction does not always keep the executable bit.
            File.SetUnixFileMode(bicep, File.GetUnixFileMode(bicep) | UnixFileMode.UserExecute);
        }

        var start = new ProcessStartInfo(bicep, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
