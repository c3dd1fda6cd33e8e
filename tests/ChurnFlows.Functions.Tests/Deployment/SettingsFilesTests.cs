using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChurnFlows.Functions.Hosting;
using ChurnFlows.Lifecycle;
using Microsoft.Extensions.Configuration;

namespace ChurnFlows.Functions.Tests.Deployment;

/// <summary>
/// The two settings files users copy from: <c>src/ChurnFlows.Functions/appsettings.json</c> (read when the app
/// serves standalone, and shipped in the function app folder) and <c>local.settings.sample.json</c> (under the
/// Functions host). Each names every <c>ChurnFlows</c> setting the app reads, and nothing else, at the default the
/// code has, so editing one value in either file changes that value and nothing else.
/// </summary>
public sealed class SettingsFilesTests
{
    private const string AppSettings = "src/ChurnFlows.Functions/appsettings.json";
    private const string SampleLocalSettings = "local.settings.sample.json";

    /// <summary>
    /// Settings <see cref="ChurnFlowsSettings.From"/> reads by name (the rest are bound from their types), except
    /// <c>MaxConcurrentActivities</c>: its default is 4 × the machine's cores, so neither file can state it.
    /// </summary>
    private static readonly string[] SettingsReadByName =
    [
        "TaskHub", "TaskHubBackend", "PartitionCount", "PartitionLeaseSeconds", "ModelRefreshSeconds",
        "PredictionLogFlushSeconds", "PredictionLogMaxPerSecond", "Serving:CanaryPercent",
    ];

    /// <summary>
    /// Settings with no value by default: the keys (secrets do not belong in a file that ships with the app) and
    /// the schema file. The sample lists them empty to be filled in; appsettings.json leaves them out.
    /// </summary>
    private static readonly string[] SettingsWithoutDefault = ["AdminKey", "ApiKey", "Lifecycle:SchemaPath"];

    public static TheoryData<string> Files => new() { AppSettings, SampleLocalSettings };

    [Theory]
    [MemberData(nameof(Files))]
    public void File_NamesEverySettingTheAppReads_AndNothingElse(string file)
    {
        var expected = SettingsReadByName
            .Concat(BoundSettings(typeof(FunctionsHostingOptions), prefix: string.Empty))
            .Concat(BoundSettings(typeof(LifecycleOptions), prefix: "Lifecycle:"))
            .Where(key => file == SampleLocalSettings || !SettingsWithoutDefault.Contains(key))
            .Order(StringComparer.Ordinal);

        Assert.Equal(expected, Read(file).Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void File_GivesEachSettingItsDefault(string file)
    {
        // An empty value means "not set", as the app reads the keys and the schema path.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(Read(file).Where(s => s.Value.Length > 0).Select(s => KeyValuePair.Create($"ChurnFlows:{s.Key}", (string?)s.Value)))
            .Build();
        var nothing = new ConfigurationBuilder().Build();

        Assert.Equal(Json(ChurnFlowsSettings.From(nothing)), Json(ChurnFlowsSettings.From(configuration)));
        Assert.Equal(Json(new FunctionsHostingOptions()), Json(configuration.GetSection(FunctionsHostingOptions.SectionName).Get<FunctionsHostingOptions>()));
    }

    [Fact]
    public void SampleLocalSettings_LeaveTheSettingsWithoutDefaultEmpty()
    {
        var settings = Read(SampleLocalSettings);

        Assert.All(SettingsWithoutDefault, key => Assert.Equal(string.Empty, settings[key]));
    }

    [Fact]
    public void AppSettings_KeepAspNetCorePerRequestLogsOff()
    {
        // At Information, ASP.NET Core writes six lines per request: a console that cannot keep up with serving.
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(TestAssemblyMetadata.RepositoryRoot, AppSettings)).Build();

        Assert.Equal("Warning", configuration["Logging:LogLevel:Microsoft.AspNetCore"]);
        Assert.Equal("Information", configuration["Logging:LogLevel:Default"]);
    }

    /// <summary>The file's <c>ChurnFlows</c> settings, keyed as in configuration below that section (<c>Lifecycle:Retrain:Trials</c>).</summary>
    private static Dictionary<string, string> Read(string file)
    {
        var path = Path.Combine(TestAssemblyMetadata.RepositoryRoot, file);
        if (file == SampleLocalSettings)
        {
            var values = JsonNode.Parse(File.ReadAllText(path))!["Values"]!.AsObject();
            return values.Where(v => v.Key.StartsWith("ChurnFlows__", StringComparison.Ordinal))
                .ToDictionary(v => v.Key["ChurnFlows__".Length..].Replace("__", ":", StringComparison.Ordinal), v => (string)v.Value!, StringComparer.Ordinal);
        }

        return new ConfigurationBuilder().AddJsonFile(path).Build().GetSection("ChurnFlows")
            .AsEnumerable(makePathsRelative: true)
            .Where(s => s.Value is not null)
            .ToDictionary(s => s.Key, s => s.Value!, StringComparer.Ordinal);
    }

    /// <summary>The configuration keys the binder fills on <paramref name="type"/>: its settable properties, nested records included.</summary>
    private static IEnumerable<string> BoundSettings(Type type, string prefix) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true })
            .SelectMany(p => IsLeaf(p.PropertyType) ? [prefix + p.Name] : BoundSettings(p.PropertyType, $"{prefix}{p.Name}:"));

    private static bool IsLeaf(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying.IsPrimitive || underlying.IsEnum || underlying == typeof(string) || underlying == typeof(TimeSpan) || underlying == typeof(decimal);
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);
}
