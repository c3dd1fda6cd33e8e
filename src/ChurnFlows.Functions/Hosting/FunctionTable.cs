using System.Text.RegularExpressions;
using ChurnFlows.Functions.Hosting.Standalone;

namespace ChurnFlows.Functions.Hosting;

/// <summary>
/// The app's functions, built once at startup from every <c>ConfigureFunctions</c> registration. It
/// drives both modes: under the Functions host it is the source of the generated function.json files
/// and of the <c>POST /{FunctionName}</c> invocation endpoints; standalone it feeds the cron scheduler
/// and the blob and queue pollers. HTTP functions are mapped as endpoints under <c>/api</c> in both modes.
/// The durable engine is not a function: its worker (orchestration partitions and activities) runs in
/// this process in both modes, so under the host the app needs an always-ready instance (see docs/hosting.md).
/// </summary>
public sealed partial class FunctionTable
{
    private static readonly HashSet<string> KnownMethods = new(StringComparer.OrdinalIgnoreCase) { "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS" };
    private readonly List<FunctionDefinition> _functions = [];

    /// <summary>Gets the functions in registration order.</summary>
    public IReadOnlyList<FunctionDefinition> Functions => _functions;

    /// <summary>Returns the function named <paramref name="name"/> (case-insensitive), or null.</summary>
    public FunctionDefinition? Find(string name) => _functions.Find(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Adds an HTTP function served by <paramref name="handler"/> (a minimal-API delegate) at <c>/api/{route}</c>.</summary>
    /// <param name="name">The function name.</param>
    /// <param name="methods">Comma-separated HTTP methods, e.g. <c>"GET"</c> or <c>"GET,DELETE"</c>.</param>
    /// <param name="route">The route template below <c>/api</c>, e.g. <c>models/{version}/promote</c>.</param>
    /// <param name="handler">The handler.</param>
    /// <param name="authorizationLevel">Who may call it.</param>
    /// <param name="endpoint">Extra endpoint configuration, e.g. <c>b => b.WithSummary("...")</c>.</param>
    public FunctionTable AddHttp(string name, string methods, string route, Delegate handler, AuthorizationLevel authorizationLevel = AuthorizationLevel.Function, Action<RouteHandlerBuilder>? endpoint = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Add(new FunctionDefinition(name, HttpTrigger(methods, route, authorizationLevel)) { HttpHandler = handler, ConfigureEndpoint = endpoint });
    }

    /// <summary>
    /// Declares an HTTP function whose endpoint the app maps itself (e.g. with <c>app.MapPost</c>), so
    /// that the Functions host routes <c>/api/{route}</c> to the app.
    /// </summary>
    public FunctionTable DeclareHttp(string name, string methods, string route, AuthorizationLevel authorizationLevel = AuthorizationLevel.Function) =>
        Add(new FunctionDefinition(name, HttpTrigger(methods, route, authorizationLevel)));

    /// <summary>Adds a timer function run by <typeparamref name="THandler"/> (created per invocation from DI).</summary>
    /// <param name="name">The function name.</param>
    /// <param name="schedule">A 6-field NCRONTAB expression or <c>%Setting%</c>.</param>
    /// <param name="runOnStartup">Whether to run once at startup.</param>
    public FunctionTable AddTimer<THandler>(string name, string schedule, bool runOnStartup = false) where THandler : class, ITriggerHandler =>
        AddTimer(name, schedule, HandlerOf<THandler>(), runOnStartup);

    /// <summary>Adds a timer function with a handler factory.</summary>
    public FunctionTable AddTimer(string name, string schedule, Func<IServiceProvider, ITriggerHandler> handler, bool runOnStartup = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(schedule);
        if (!IsSettingReference(schedule))
        {
            NcrontabSchedule.Parse(schedule);
        }

        return Add(new FunctionDefinition(name, new TimerFunctionTrigger(schedule.Trim(), runOnStartup)) { TriggerHandler = handler });
    }

    /// <summary>Adds a blob function run by <typeparamref name="THandler"/> for each new or changed blob matching <paramref name="path"/>.</summary>
    /// <param name="name">The function name.</param>
    /// <param name="path">The path pattern <c>container/{name}</c> or <c>container/prefix{name}</c>.</param>
    /// <param name="connection">The app setting holding the storage connection.</param>
    public FunctionTable AddBlob<THandler>(string name, string path, string connection = "AzureWebJobsStorage") where THandler : class, ITriggerHandler =>
        AddBlob(name, path, HandlerOf<THandler>(), connection);

    /// <summary>Adds a blob function with a handler factory.</summary>
    public FunctionTable AddBlob(string name, string path, Func<IServiceProvider, ITriggerHandler> handler, string connection = "AzureWebJobsStorage")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !path.EndsWith("{name}", StringComparison.Ordinal) || path.IndexOf('{', StringComparison.Ordinal) != path.Length - "{name}".Length)
        {
            throw new ArgumentException($"Blob path '{path}' must look like 'container/{{name}}' or 'container/prefix{{name}}'.", nameof(path));
        }

        return Add(new FunctionDefinition(name, new BlobFunctionTrigger(path, connection)) { TriggerHandler = handler });
    }

    /// <summary>Adds a queue function run by <typeparamref name="THandler"/> for each message.</summary>
    /// <param name="name">The function name.</param>
    /// <param name="queueName">The queue, or <c>%Setting%</c>.</param>
    /// <param name="connection">The app setting holding the storage connection.</param>
    public FunctionTable AddQueue<THandler>(string name, string queueName, string connection = "AzureWebJobsStorage") where THandler : class, ITriggerHandler =>
        AddQueue(name, queueName, HandlerOf<THandler>(), connection);

    /// <summary>Adds a queue function with a handler factory.</summary>
    public FunctionTable AddQueue(string name, string queueName, Func<IServiceProvider, ITriggerHandler> handler, string connection = "AzureWebJobsStorage")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName);
        return Add(new FunctionDefinition(name, new QueueFunctionTrigger(queueName, connection)) { TriggerHandler = handler });
    }

    /// <summary>Adds a function.</summary>
    /// <exception cref="ArgumentException">The name is invalid or taken, or a non-HTTP function has no handler.</exception>
    public FunctionTable Add(FunctionDefinition function)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (!ValidName().IsMatch(function.Name))
        {
            throw new ArgumentException($"Function name '{function.Name}' must start with a letter and hold only letters, digits, '_' and '-' (at most 128).", nameof(function));
        }

        if (Find(function.Name) is not null)
        {
            throw new ArgumentException($"A function named '{function.Name}' is already registered.", nameof(function));
        }

        if (function.Trigger is not HttpFunctionTrigger && function.TriggerHandler is null)
        {
            throw new ArgumentException($"Function '{function.Name}' needs a trigger handler.", nameof(function));
        }

        _functions.Add(function);
        return this;
    }

    /// <summary>Expands a <c>%Setting%</c> reference from <paramref name="configuration"/>; other values are returned unchanged.</summary>
    /// <exception cref="InvalidOperationException">The setting is missing.</exception>
    public static string ResolveSetting(string value, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(configuration);
        return IsSettingReference(value)
            ? configuration[value[1..^1]] ?? throw new InvalidOperationException($"App setting '{value[1..^1]}' (referenced as {value}) is not set.")
            : value;
    }

    private static bool IsSettingReference(string value) => value.Length > 2 && value[0] == '%' && value[^1] == '%';

    private static Func<IServiceProvider, ITriggerHandler> HandlerOf<THandler>() where THandler : class, ITriggerHandler =>
        services => ActivatorUtilities.CreateInstance<THandler>(services);

    private static HttpFunctionTrigger HttpTrigger(string methods, string route, AuthorizationLevel level)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(methods);
        ArgumentException.ThrowIfNullOrWhiteSpace(route);
        var list = methods.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(m => m.ToUpperInvariant()).ToArray();
        if (list.Length == 0 || list.Any(m => !KnownMethods.Contains(m)))
        {
            throw new ArgumentException($"'{methods}' is not a list of HTTP methods.", nameof(methods));
        }

        if (route.StartsWith('/') || route.StartsWith(HttpFunctionTrigger.RoutePrefix + "/", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Route '{route}' is relative to /{HttpFunctionTrigger.RoutePrefix}/; drop the leading part.", nameof(route));
        }

        return new HttpFunctionTrigger(route, list, level);
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,127}$")]
    private static partial Regex ValidName();
}
