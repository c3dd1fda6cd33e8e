using Azure.Core;

namespace ChurnFlows.Storage;

/// <summary>
/// Options for every storage client: retries, network timeout, diagnostics and extra pipeline
/// policies (<see cref="ClientOptions.AddPolicy"/>; e.g. to count operations).
/// </summary>
public sealed class StorageClientOptions : ClientOptions
{
    /// <summary>The REST API version sent as <c>x-ms-version</c>; accepted by Azure and Azurite 3.30+.</summary>
    public const string DefaultServiceVersion = "2024-05-04";

    /// <summary>Creates options with storage-appropriate defaults (3 retries, 30 s network timeout).</summary>
    public StorageClientOptions()
    {
        Retry.MaxRetries = 3;
        Retry.Delay = TimeSpan.FromMilliseconds(200);
        Retry.MaxDelay = TimeSpan.FromSeconds(5);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        Diagnostics.IsLoggingContentEnabled = false;
    }

    /// <summary>Gets or sets the REST API version.</summary>
    public string ServiceVersion { get; set; } = DefaultServiceVersion;
}
