using System.Globalization;
using ChurnFlows.Lifecycle;
using ChurnFlows.Lifecycle.Serving;

namespace ChurnFlows.Functions.Hosting;

/// <summary>
/// The app's settings, read once at start-up: <c>AzureWebJobsStorage</c> (a connection string, or identity-based
/// <c>AzureWebJobsStorage__accountName</c>; see <see cref="StorageConnectionSetting"/>), and the <c>ChurnFlows</c>
/// section (<c>ChurnFlows:TaskHub</c>, <c>ChurnFlows:Serving:CanaryPercent</c>, <c>ChurnFlows:Lifecycle:Retrain:Trials</c>, …). A bad value stops
/// start-up with a message naming the setting.
/// </summary>
public sealed record ChurnFlowsSettings
{
    /// <summary>Gets the app's storage account connection (development storage by default).</summary>
    public StorageConnectionSetting Storage { get; init; } = StorageConnectionSetting.DevelopmentStorage;

    /// <summary>Gets the task hub name (<c>ChurnFlows:TaskHub</c>, default <c>churnflows</c>).</summary>
    public string TaskHub { get; init; } = "churnflows";

    /// <summary>Gets the task hub backend: <c>AzureStorage</c> (default) or <c>InMemory</c> (nothing survives a restart).</summary>
    public string TaskHubBackend { get; init; } = "AzureStorage";

    /// <summary>Gets the control-queue partition count of the task hub.</summary>
    public int PartitionCount { get; init; } = 4;

    /// <summary>Gets how long a worker's partition lease lasts: a crashed worker's partitions move to a live one after at most this long.</summary>
    public TimeSpan PartitionLease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets how many activities one worker runs at once.</summary>
    public int MaxConcurrentActivities { get; init; } = 4 * Environment.ProcessorCount;

    /// <summary>Gets how often serving checks for a new Production model.</summary>
    public TimeSpan ModelRefreshInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets the share of customers, in percent (0–100; <c>ChurnFlows:Serving:CanaryPercent</c>, default 0 = off),
    /// whose predictions come from the newest Staging model while one exists.
    /// </summary>
    public int CanaryPercent { get; init; }

    /// <summary>Gets how often buffered prediction logs are written.</summary>
    public TimeSpan PredictionLogFlushInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets the rate (predictions a second, per process) above which the prediction log samples with weights; 0 logs every prediction.</summary>
    public int PredictionLogMaxPerSecond { get; init; } = PredictionLogger.DefaultMaxPerSecond;

    /// <summary>Gets the lifecycle's settings (<c>ChurnFlows:Lifecycle</c>).</summary>
    public LifecycleOptions Lifecycle { get; init; } = new();

    /// <summary>Reads the settings.</summary>
    /// <exception cref="InvalidOperationException">A setting has a value that cannot be used; the message names it.</exception>
    public static ChurnFlowsSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("ChurnFlows");
        var defaults = new ChurnFlowsSettings();
        LifecycleOptions lifecycle;
        try
        {
            lifecycle = section.GetSection("Lifecycle").Get<LifecycleOptions>() ?? new LifecycleOptions();
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"Setting ChurnFlows:Lifecycle is invalid: {e.Message}", e);
        }

        var settings = new ChurnFlowsSettings
        {
            Storage = StorageConnectionSetting.Read(configuration, "AzureWebJobsStorage", defaults.Storage),
            TaskHub = section["TaskHub"] ?? defaults.TaskHub,
            TaskHubBackend = section["TaskHubBackend"] ?? defaults.TaskHubBackend,
            PartitionCount = Int(section, "PartitionCount", defaults.PartitionCount, 1, 16),
            PartitionLease = TimeSpan.FromSeconds(Int(section, "PartitionLeaseSeconds", 30, 15, 60)),
            MaxConcurrentActivities = Int(section, "MaxConcurrentActivities", defaults.MaxConcurrentActivities, 1, 1024),
            ModelRefreshInterval = TimeSpan.FromSeconds(Int(section, "ModelRefreshSeconds", 5, 1, 3600)),
            PredictionLogFlushInterval = TimeSpan.FromSeconds(Int(section, "PredictionLogFlushSeconds", 2, 1, 3600)),
            PredictionLogMaxPerSecond = Int(section, "PredictionLogMaxPerSecond", PredictionLogger.DefaultMaxPerSecond, 0, 10_000_000),
            CanaryPercent = Int(section, "Serving:CanaryPercent", defaults.CanaryPercent, 0, 100),
            Lifecycle = lifecycle,
        };
        if (settings.TaskHubBackend is not ("AzureStorage" or "InMemory"))
        {
            throw new InvalidOperationException($"Setting ChurnFlows:TaskHubBackend must be AzureStorage or InMemory (got '{settings.TaskHubBackend}').");
        }

        if (settings.Lifecycle.Retrain.Trials < 1 || settings.Lifecycle.Retrain.BatchSize < 1)
        {
            throw new InvalidOperationException($"Settings ChurnFlows:Lifecycle:Retrain:Trials and BatchSize must be at least 1 (got {settings.Lifecycle.Retrain.Trials} and {settings.Lifecycle.Retrain.BatchSize}).");
        }

        settings.Lifecycle.LoadSchema(); // a missing or invalid schema file stops start-up, naming the setting

        return settings;
    }

    private static int Int(IConfigurationSection section, string key, int fallback, int min, int max)
    {
        var raw = section[key];
        if (raw is null)
        {
            return fallback;
        }

        return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw new InvalidOperationException($"Setting ChurnFlows:{key} must be a whole number from {min} to {max} (got '{raw}').");
    }
}
