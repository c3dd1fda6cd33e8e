using ChurnFlows.Functions.Cli;
using ChurnFlows.Functions.Hosting;
using ChurnFlows.Functions.Http;
using ChurnFlows.ML.Synthetic;

// Verbs: demo [--rows N --trials N --seed N --connection S] | sample-data PATH [--rows N --seed N] | (none): serve.
if (args.Length > 0 && args[0] is "demo" or "sample-data")
{
    try
    {
        if (args[0] == "demo")
        {
            return await DemoCommand.RunAsync(DemoOptions.Parse(args[1..]), Console.Out);
        }

        if (args.Length < 2)
        {
            await Console.Error.WriteLineAsync("usage: sample-data PATH [--rows N] [--seed N]");
            return 2;
        }

        var options = DemoOptions.Parse(args[2..]);
        SyntheticChurnGenerator.WriteCsvFile(args[1], new SyntheticChurnOptions { Rows = options.Rows, Seed = options.Seed });
        Console.WriteLine($"wrote {options.Rows:N0} customers (seed {options.Seed}) to {args[1]}");
        return 0;
    }
    catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or IOException or Azure.RequestFailedException)
    {
        await Console.Error.WriteLineAsync($"error: {e.Message}");
        return 1;
    }
}

var builder = WebApplication.CreateBuilder(FunctionsHostingExtensions.WithoutFunctionsJsonVerb(args));
var storage = StorageConnectionSetting.Read(builder.Configuration, "AzureWebJobsStorage", StorageConnectionSetting.DevelopmentStorage);
builder.AddFunctionsHosting();
builder.AddChurnFlowsTelemetry();
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
    o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
});
builder.Services.AddProblemDetails();
builder.Services.AddChurnFlowsLifecycle(builder.Configuration);
var app = builder.Build();
app.UseExceptionHandler();
app.MapFunctions();
app.MapPredictionEndpoints();
app.MapModelEndpoints();
app.MapRunEndpoints();
app.MapDataEndpoints();
app.MapGet("/", () => Results.Ok(new { service = "ChurnFlows" }));
if (app.RunFunctionsJsonVerb(args) is { } exitCode)
{
    return exitCode;
}

// Only serving needs storage (the functions-json verb above runs at publish time): start Azurite if it is development storage.
await using var developmentStorage = storage.ConnectionString is { } connectionString ? await DevelopmentStorage.StartIfNeededAsync(connectionString, Console.Out) : null;
await app.RunAsync();
return 0;

/// <summary>Entry point; public so integration tests can host the app.</summary>
public partial class Program;
