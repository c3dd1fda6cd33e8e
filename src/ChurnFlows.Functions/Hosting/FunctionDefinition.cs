namespace ChurnFlows.Functions.Hosting;

/// <summary>
/// One Azure Function of the app: its name (the folder name under the Functions host), its trigger and
/// its handler. HTTP functions carry a minimal-API delegate; timer, blob and queue functions carry an
/// <see cref="ITriggerHandler"/> factory, so the same handler runs under the host and standalone.
/// </summary>
/// <param name="Name">The function name: letters, digits, '_' and '-', starting with a letter.</param>
/// <param name="Trigger">What starts it.</param>
public sealed record FunctionDefinition(string Name, FunctionTrigger Trigger)
{
    /// <summary>Gets the minimal-API handler of an HTTP function, or null when its endpoint is mapped elsewhere in the app.</summary>
    public Delegate? HttpHandler { get; init; }

    /// <summary>Gets extra endpoint configuration of an HTTP function (OpenAPI summary, tags, filters), applied when it is mapped.</summary>
    public Action<RouteHandlerBuilder>? ConfigureEndpoint { get; init; }

    /// <summary>Gets the factory of a timer, blob or queue function's handler (called once per invocation, in a scope).</summary>
    public Func<IServiceProvider, ITriggerHandler>? TriggerHandler { get; init; }
}

/// <summary>What starts a function; one subtype per trigger kind.</summary>
public abstract record FunctionTrigger
{
    /// <summary>Gets the binding name the trigger has in function.json (the key under <c>Data</c> in host invocations).</summary>
    public abstract string BindingName { get; }
}

/// <summary>Who may call an HTTP function. The app enforces its own keys, in both modes.</summary>
public enum AuthorizationLevel
{
    /// <summary>Anyone.</summary>
    Anonymous,

    /// <summary>Callers with <c>ChurnFlows:ApiKey</c> (or the admin key) when one is configured.</summary>
    Function,

    /// <summary>Callers with <c>ChurnFlows:AdminKey</c> when one is configured.</summary>
    Admin,
}

/// <summary>An HTTP trigger: forwarded to the app as plain HTTP under <c>/api/{Route}</c>.</summary>
/// <param name="Route">The route template below the <c>api</c> prefix, e.g. <c>models/{version}/promote</c>.</param>
/// <param name="Methods">The HTTP methods, upper case.</param>
/// <param name="AuthorizationLevel">Who may call it.</param>
public sealed record HttpFunctionTrigger(string Route, IReadOnlyList<string> Methods, AuthorizationLevel AuthorizationLevel) : FunctionTrigger
{
    /// <summary>The route prefix the Functions host puts before every HTTP function route.</summary>
    public const string RoutePrefix = "api";

    /// <inheritdoc />
    public override string BindingName => "req";

    /// <summary>Gets the path template the app serves, e.g. <c>/api/models/{version}/promote</c>.</summary>
    public string PathTemplate => "/" + RoutePrefix + "/" + Route;
}

/// <summary>A timer trigger.</summary>
/// <param name="Schedule">A 6-field NCRONTAB expression (second minute hour day month day-of-week), or <c>%Setting%</c> naming one.</param>
/// <param name="RunOnStartup">Whether to run once when the app starts (rarely wanted).</param>
public sealed record TimerFunctionTrigger(string Schedule, bool RunOnStartup = false) : FunctionTrigger
{
    /// <inheritdoc />
    public override string BindingName => "timer";
}

/// <summary>A blob trigger on <c>{container}/{name}</c> (optionally <c>{container}/{prefix}{name}</c>).</summary>
/// <param name="Path">The blob path pattern; must end in <c>{name}</c>.</param>
/// <param name="Connection">The app setting prefix holding the storage connection.</param>
public sealed record BlobFunctionTrigger(string Path, string Connection = "AzureWebJobsStorage") : FunctionTrigger
{
    /// <inheritdoc />
    public override string BindingName => "blob";

    /// <summary>Gets the container part of <see cref="Path"/>.</summary>
    public string Container => Path[..Path.IndexOf('/', StringComparison.Ordinal)];

    /// <summary>Gets the blob-name prefix before <c>{name}</c> (often empty).</summary>
    public string NamePrefix => Path[(Path.IndexOf('/', StringComparison.Ordinal) + 1)..^"{name}".Length];
}

/// <summary>A queue trigger; messages are base64 text as the Functions host expects.</summary>
/// <param name="QueueName">The queue (or <c>%Setting%</c> naming it).</param>
/// <param name="Connection">The app setting prefix holding the storage connection.</param>
public sealed record QueueFunctionTrigger(string QueueName, string Connection = "AzureWebJobsStorage") : FunctionTrigger
{
    /// <inheritdoc />
    public override string BindingName => "message";
}
