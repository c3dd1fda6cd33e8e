namespace ChurnFlows.Functions.Hosting.Standalone;

/// <summary>
/// Resolves a trigger's <c>connection</c> setting to a storage account: <c>AzureWebJobsStorage</c> is the app's account
/// (the clients registered with <c>AddAzureClients</c>); any other name is read as a connection string or identity-based
/// setting (see <see cref="StorageConnectionSetting"/>).
/// </summary>
public sealed class StorageConnections(StorageClients app, IConfiguration configuration)
{
    private readonly Dictionary<string, StorageClients> _accounts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Returns the clients of <paramref name="connection"/>.</summary>
    /// <exception cref="InvalidOperationException">The setting is missing.</exception>
    public StorageClients Get(string connection)
    {
        ArgumentException.ThrowIfNullOrEmpty(connection);
        if (string.Equals(connection, "AzureWebJobsStorage", StringComparison.OrdinalIgnoreCase))
        {
            return app;
        }

        lock (_accounts)
        {
            if (!_accounts.TryGetValue(connection, out var account))
            {
                _accounts[connection] = account = StorageConnectionSetting.Read(configuration, connection).CreateClients();
            }

            return account;
        }
    }
}
