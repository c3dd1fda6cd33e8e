using Azure.Core;
using ChurnFlows.Storage.Blobs;
using ChurnFlows.Storage.Pipeline;
using ChurnFlows.Storage.Queues;
using ChurnFlows.Storage.Tables;

namespace ChurnFlows.Storage;

/// <summary>
/// The entry point to one storage account: creates the blob, queue and table service clients,
/// signed with the account key (connection strings, Azurite) or with an Entra ID token
/// (managed identity in Azure). Thread-safe; create one and share it.
/// </summary>
public sealed class StorageAccount
{
    private StorageAccount(Uri blob, Uri queue, Uri table, StorageSharedKeyCredential? key, TokenCredential? token, StorageClientOptions options)
    {
        BlobServiceClient = new BlobServiceClient(new StorageService(blob, StorageService.BuildPipeline(options, key, token, table: false)));
        QueueServiceClient = new QueueServiceClient(new StorageService(queue, StorageService.BuildPipeline(options, key, token, table: false)));
        TableServiceClient = new TableServiceClient(new StorageService(table, StorageService.BuildPipeline(options, key, token, table: true)));
    }

    /// <summary>Gets the blob service client.</summary>
    public BlobServiceClient BlobServiceClient { get; }

    /// <summary>Gets the queue service client.</summary>
    public QueueServiceClient QueueServiceClient { get; }

    /// <summary>Gets the table service client.</summary>
    public TableServiceClient TableServiceClient { get; }

    /// <summary>Connects with a connection string (<c>UseDevelopmentStorage=true</c>, account key, or explicit endpoints).</summary>
    /// <exception cref="FormatException">The connection string is malformed; the message names the bad part.</exception>
    public static StorageAccount FromConnectionString(string connectionString, StorageClientOptions? options = null)
    {
        var parsed = StorageConnectionString.Parse(connectionString);
        return new StorageAccount(parsed.BlobEndpoint, parsed.QueueEndpoint, parsed.TableEndpoint, parsed.Credential, null, options ?? new StorageClientOptions());
    }

    /// <summary>Connects with Entra ID tokens (e.g. <c>ManagedIdentityCredential</c>) to explicit endpoints.</summary>
    public static StorageAccount FromEndpoints(Uri blobEndpoint, Uri queueEndpoint, Uri tableEndpoint, TokenCredential credential, StorageClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(blobEndpoint);
        ArgumentNullException.ThrowIfNull(queueEndpoint);
        ArgumentNullException.ThrowIfNull(tableEndpoint);
        ArgumentNullException.ThrowIfNull(credential);
        return new StorageAccount(blobEndpoint, queueEndpoint, tableEndpoint, null, credential, options ?? new StorageClientOptions());
    }

    /// <summary>Connects with Entra ID tokens to the public-cloud endpoints of <paramref name="accountName"/>.</summary>
    public static StorageAccount FromAccountName(string accountName, TokenCredential credential, StorageClientOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountName);
        return FromEndpoints(
            new Uri($"https://{accountName}.blob.core.windows.net"),
            new Uri($"https://{accountName}.queue.core.windows.net"),
            new Uri($"https://{accountName}.table.core.windows.net"),
            credential,
            options);
    }
}
