using ChurnFlows.Functions.Hosting.FunctionsHost;
using ChurnFlows.Functions.Hosting.Metadata;
using ChurnFlows.Functions.Hosting.Standalone;
using ChurnFlows.Functions.Http;
using ChurnFlows.Functions.Http.Durable;
using Microsoft.Extensions.Options;

namespace ChurnFlows.Functions.Hosting;

/// <summary>Wires the function table into the app: services, Kestrel port, endpoints, the <c>functions-json</c> verb.</summary>
public static class FunctionsHostingExtensions
{
    /// <summary>The hidden verb that writes every function's function.json into a folder (run after publish).</summary>
    public const string FunctionsJsonVerb = "functions-json";

    /// <summary>Adds functions to the app's table; call as often as needed, from any feature's registration.</summary>
    public static IServiceCollection ConfigureFunctions(this IServiceCollection services, Action<FunctionTable> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddSingleton(new FunctionTableRegistration(configure));
    }

    /// <summary>
    /// Adds the function table and both hosting modes: under the Functions host Kestrel listens on
    /// <c>127.0.0.1:$FUNCTIONS_CUSTOMHANDLER_PORT</c>; standalone, a background service runs the timers
    /// and pollers. Also adds OpenAPI, the health function and the durable management functions.
    /// </summary>
    public static WebApplicationBuilder AddFunctionsHosting(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.Configure<FunctionsHostingOptions>(builder.Configuration.GetSection(FunctionsHostingOptions.SectionName));
        services.AddSingleton(sp =>
        {
            var table = new FunctionTable();
            foreach (var registration in sp.GetServices<FunctionTableRegistration>())
            {
                registration.Configure(table);
            }

            return table;
        });
        services.AddSingleton<TriggerDispatcher>();
        services.AddSingleton<StorageConnections>();
        services.AddSingleton<CronScheduler>();
        services.AddSingleton<BlobTriggerPoller>();
        services.AddSingleton<QueueTriggerPoller>();
        services.AddHostedService<StandaloneTriggerService>();
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "ChurnFlows";
            document.Info.Description = "Churn-model lifecycle: predictions, models, runs and the durable management API. Keys go in the x-functions-key header or the code query parameter.";
            return Task.CompletedTask;
        }));
        services.ConfigureFunctions(table => table.AddHealthFunction().AddDurableManagementFunctions().DeclarePredictionFunctions());
        if (Environment.GetEnvironmentVariable(FunctionsHostingOptions.CustomHandlerPortVariable) is { Length: > 0 } port && int.TryParse(port, out _))
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }

        return builder;
    }

    /// <summary>
    /// Maps the key check, every HTTP function of the table under <c>/api</c>, the durable management
    /// mirror under <c>/runtime/webhooks</c>, the OpenAPI document (<c>/openapi/v1.json</c> and
    /// <c>/api/openapi/v1.json</c>) and, under the Functions host, the <c>POST /{FunctionName}</c> invocation endpoints.
    /// </summary>
    public static WebApplication MapFunctions(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var table = app.Services.GetRequiredService<FunctionTable>();
        app.UseMiddleware<FunctionKeyMiddleware>();
        foreach (var function in table.Functions)
        {
            if (function is { Trigger: HttpFunctionTrigger http, HttpHandler: { } handler })
            {
                var endpoint = app.MapMethods(http.PathTemplate, http.Methods, handler)
                    .WithName(function.Name)
                    .WithMetadata(new FunctionAuthorization(http.AuthorizationLevel));
                function.ConfigureEndpoint?.Invoke(endpoint);
            }
        }

        app.MapDurableRuntimeWebhooks(table);
        app.MapOpenApi();
        app.MapOpenApi("/api/openapi/{documentName}.json").WithMetadata(new FunctionAuthorization(AuthorizationLevel.Anonymous));
        if (app.Services.GetRequiredService<IOptions<FunctionsHostingOptions>>().Value.ResolveMode(app.Configuration) == HostMode.FunctionsHost)
        {
            app.MapInvocationEndpoints(table);
        }

        return app;
    }

    /// <summary>Runs the <c>functions-json DIR</c> verb when <paramref name="args"/> asks for it; returns the exit code, or null when not asked.</summary>
    public static int? RunFunctionsJsonVerb(this WebApplication app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] != FunctionsJsonVerb)
        {
            return null;
        }

        if (args.Length != 2)
        {
            Console.Error.WriteLine($"usage: {FunctionsJsonVerb} OUTPUT_DIR");
            return 2;
        }

        var written = FunctionJsonGenerator.Write(app.Services.GetRequiredService<FunctionTable>(), args[1]);
        Console.WriteLine($"wrote {written.Count} function.json files to {args[1]}");
        return 0;
    }

    /// <summary>Removes the verb's arguments so configuration does not read them as settings.</summary>
    public static string[] WithoutFunctionsJsonVerb(string[] args) =>
        args is [FunctionsJsonVerb, ..] ? [] : args;

    /// <summary>One feature's contribution to the table.</summary>
    /// <param name="Configure">Adds the functions.</param>
    private sealed record FunctionTableRegistration(Action<FunctionTable> Configure);
}
