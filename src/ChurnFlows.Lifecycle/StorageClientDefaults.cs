using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace ChurnFlows.Lifecycle;

/// <summary>
/// The storage clients' options, set deliberately instead of left to the SDK's defaults (6 retries up to
/// 1 minute apart, 100 s network timeout). Lifecycle writes are idempotent, so retrying is safe; but a caller
/// of the HTTP API waits on these retries, so they are few and short: 3 retries, exponential from 200 ms to at
/// most 5 s, and a 30 s network timeout per try. Queue messages are Base64, as the Functions queue trigger reads them.
/// </summary>
public static class StorageClientDefaults
{
    /// <summary>Returns new blob client options with the lifecycle's retry policy.</summary>
    public static BlobClientOptions Blobs() => Configure(new BlobClientOptions());

    /// <summary>Returns new queue client options with the lifecycle's retry policy and Base64 messages.</summary>
    public static QueueClientOptions Queues() => ConfigureQueues(new QueueClientOptions());

    /// <summary>Applies the lifecycle's retry policy and Base64 message encoding to <paramref name="options"/>.</summary>
    public static QueueClientOptions ConfigureQueues(QueueClientOptions options)
    {
        Configure(options).MessageEncoding = QueueMessageEncoding.Base64;
        return options;
    }

    /// <summary>Returns new table client options with the lifecycle's retry policy.</summary>
    public static TableClientOptions Tables() => Configure(new TableClientOptions());

    /// <summary>Applies the lifecycle's retry policy and timeouts to <paramref name="options"/>.</summary>
    public static T Configure<T>(T options)
        where T : ClientOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(5);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        options.Diagnostics.IsLoggingContentEnabled = false;
        return options;
    }
}
