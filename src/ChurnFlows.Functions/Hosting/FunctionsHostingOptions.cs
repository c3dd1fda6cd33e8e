namespace ChurnFlows.Functions.Hosting;

/// <summary>How the app receives its triggers.</summary>
public enum HostMode
{
    /// <summary><see cref="FunctionsHost"/> when <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> is set, else <see cref="Standalone"/>.</summary>
    Auto,

    /// <summary>No Functions host: the app runs its own cron timers, blob poller and queue pollers.</summary>
    Standalone,

    /// <summary>Under the Functions host as a custom handler: the host fires triggers and forwards HTTP.</summary>
    FunctionsHost,
}

/// <summary>Settings of the <c>ChurnFlows</c> configuration section that shape hosting.</summary>
public sealed record FunctionsHostingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ChurnFlows";

    /// <summary>The environment variable the Functions host sets to the port the handler must listen on.</summary>
    public const string CustomHandlerPortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>Gets or sets the mode (<c>ChurnFlows:HostMode</c>); default Auto.</summary>
    public HostMode HostMode { get; set; } = HostMode.Auto;

    /// <summary>Gets or sets the key admin routes (durable management) require; none means open.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Gets or sets the key other <c>/api</c> routes require; none means open.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets how often the standalone blob poller lists each trigger container.</summary>
    public TimeSpan BlobPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how long an idle standalone queue poller waits between polls.</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets how many messages one queue poll takes (1–32), as host.json's <c>batchSize</c>.</summary>
    public int QueueBatchSize { get; set; } = 16;

    /// <summary>Gets or sets how long a received message stays hidden, as host.json's <c>visibilityTimeout</c>.</summary>
    public TimeSpan QueueVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets after how many failed attempts a message or blob is given up (poison), as host.json's <c>maxDequeueCount</c>.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>Returns the effective mode: <see cref="HostMode"/>, with Auto resolved from <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>.</summary>
    public HostMode ResolveMode(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return HostMode != HostMode.Auto ? HostMode
            : string.IsNullOrEmpty(configuration[CustomHandlerPortVariable]) ? HostMode.Standalone : HostMode.FunctionsHost;
    }
}
