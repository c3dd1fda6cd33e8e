using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using ChurnFlows.Lifecycle;
using Microsoft.Extensions.Azure;

namespace ChurnFlows.Functions.Hosting;

/// <summary>
/// A storage connection setting, read the way the Functions host reads it: <c>{name}</c> holds a connection string;
/// otherwise identity-based settings name the account — <c>{name}__accountName</c>, or the service URIs
/// <c>{name}__blobServiceUri</c>, <c>{name}__queueServiceUri</c> and <c>{name}__tableServiceUri</c> — and the app
/// signs in with Entra ID: with <c>{name}__credential</c> = <c>managedidentity</c> as the app's managed identity
/// (<c>{name}__clientId</c> picks a user-assigned one), otherwise with the default credential chain (a developer's
/// Azure CLI or Visual Studio sign-in locally). No account key is needed.
/// </summary>
public sealed record StorageConnectionSetting
{
    /// <summary>Gets local development storage (Azurite on its default ports).</summary>
    public static StorageConnectionSetting DevelopmentStorage { get; } = new() { Name = "AzureWebJobsStorage", ConnectionString = "UseDevelopmentStorage=true" };

    /// <summary>Gets the setting's name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the connection string, or null for an identity-based connection.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Gets the blob endpoint of an identity-based connection.</summary>
    public Uri? BlobServiceUri { get; init; }

    /// <summary>Gets the queue endpoint of an identity-based connection.</summary>
    public Uri? QueueServiceUri { get; init; }

    /// <summary>Gets the table endpoint of an identity-based connection.</summary>
    public Uri? TableServiceUri { get; init; }

    /// <summary>Gets whether an identity-based connection signs in as the app's managed identity (rather than with the default credential chain).</summary>
    public bool ManagedIdentity { get; init; }

    /// <summary>Gets the client id of the user-assigned managed identity, or null for the system-assigned one.</summary>
    public string? ClientId { get; init; }

    /// <summary>
    /// Reads setting <paramref name="name"/>; when it is not set at all, returns <paramref name="fallback"/>, or throws
    /// when there is none.
    /// </summary>
    /// <exception cref="InvalidOperationException">The setting is missing or incomplete; the message names what to set.</exception>
    public static StorageConnectionSetting Read(IConfiguration configuration, string name, StorageConnectionSetting? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (configuration[name] is { Length: > 0 } connectionString)
        {
            return new StorageConnectionSetting { Name = name, ConnectionString = connectionString };
        }

        var section = configuration.GetSection(name);
        var account = section["accountName"];
        Uri? Endpoint(string service) => section[$"{service}ServiceUri"] is { Length: > 0 } uri
            ? Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme is "https" or "http" ? parsed : throw new InvalidOperationException($"Setting {name}__{service}ServiceUri must be an absolute http(s) URI (got '{uri}').")
            : account is { Length: > 0 } ? new Uri($"https://{account}.{service}.core.windows.net") : null;
        var (blob, queue, table) = (Endpoint("blob"), Endpoint("queue"), Endpoint("table"));
        if (blob is null && queue is null && table is null)
        {
            return fallback ?? throw new InvalidOperationException($"Storage connection '{name}' is not set: set {name} to a connection string, or {name}__accountName (identity-based).");
        }

        if (blob is null || queue is null || table is null)
        {
            throw new InvalidOperationException($"Storage connection '{name}' needs blob, queue and table endpoints: set {name}__accountName, or all of {name}__blobServiceUri, {name}__queueServiceUri and {name}__tableServiceUri.");
        }

        var credential = section["credential"];
        if (credential is { Length: > 0 } && !credential.Equals("managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Setting {name}__credential must be 'managedidentity' or absent (got '{credential}').");
        }

        return new StorageConnectionSetting
        {
            Name = name,
            BlobServiceUri = blob,
            QueueServiceUri = queue,
            TableServiceUri = table,
            ManagedIdentity = credential is { Length: > 0 },
            ClientId = section["clientId"] is { Length: > 0 } clientId ? clientId : null,
        };
    }

    /// <summary>
    /// Registers the account's <see cref="BlobServiceClient"/>, <see cref="QueueServiceClient"/> and
    /// <see cref="TableServiceClient"/> with <c>AddAzureClients</c>, with the lifecycle's options
    /// (<see cref="StorageClientDefaults"/>): from the connection string, or from the service URIs signed in with
    /// Entra ID. Microsoft.Extensions.Azure binds a configuration section by constructor parameter and would ignore
    /// the Functions-style <c>accountName</c> and <c>blobServiceUri</c> keys, so the URIs read here are passed explicitly.
    /// </summary>
    public IServiceCollection AddClients(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddAzureClients(clients =>
        {
            if (ConnectionString is { } connectionString)
            {
                clients.AddBlobServiceClient(connectionString).ConfigureOptions(o => StorageClientDefaults.Configure(o));
                clients.AddQueueServiceClient(connectionString).ConfigureOptions(o => StorageClientDefaults.ConfigureQueues(o));
                clients.AddTableServiceClient(connectionString).ConfigureOptions(o => StorageClientDefaults.Configure(o));
            }
            else
            {
                clients.AddBlobServiceClient(BlobServiceUri!).ConfigureOptions(o => StorageClientDefaults.Configure(o));
                clients.AddQueueServiceClient(QueueServiceUri!).ConfigureOptions(o => StorageClientDefaults.ConfigureQueues(o));
                clients.AddTableServiceClient(TableServiceUri!).ConfigureOptions(o => StorageClientDefaults.Configure(o));
                clients.UseCredential(CreateCredential());
            }
        });
        return services;
    }

    /// <summary>
    /// Creates the account's clients directly, with the same options and credential as <see cref="AddClients"/>: for
    /// a connection other than the app's own, which is not registered in the container.
    /// </summary>
    /// <exception cref="FormatException">The connection string is malformed.</exception>
    public StorageClients CreateClients()
    {
        if (ConnectionString is { } connectionString)
        {
            return new StorageClients(
                new BlobServiceClient(connectionString, StorageClientDefaults.Blobs()),
                new QueueServiceClient(connectionString, StorageClientDefaults.Queues()),
                new TableServiceClient(connectionString, StorageClientDefaults.Tables()));
        }

        var credential = CreateCredential();
        return new StorageClients(
            new BlobServiceClient(BlobServiceUri!, credential, StorageClientDefaults.Blobs()),
            new QueueServiceClient(QueueServiceUri!, credential, StorageClientDefaults.Queues()),
            new TableServiceClient(TableServiceUri!, credential, StorageClientDefaults.Tables()));
    }

    private TokenCredential CreateCredential() => ManagedIdentity
        ? new ManagedIdentityCredential(ClientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(ClientId))
        : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = ClientId });
}
