namespace ChurnFlows.Storage;

/// <summary>
/// A parsed Azure Storage connection string: the three service endpoints and, for key-based
/// connections, the account name and key. Supports <c>UseDevelopmentStorage=true</c> (Azurite's
/// well-known account on its default ports), account-key strings with an endpoint suffix, and
/// explicit <c>BlobEndpoint</c>/<c>QueueEndpoint</c>/<c>TableEndpoint</c> values.
/// </summary>
public sealed class StorageConnectionString
{
    /// <summary>The well-known Azurite account name.</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>The well-known (public) Azurite account key.</summary>
    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private StorageConnectionString(Uri blob, Uri queue, Uri table, StorageSharedKeyCredential? credential)
    {
        BlobEndpoint = blob;
        QueueEndpoint = queue;
        TableEndpoint = table;
        Credential = credential;
    }

    /// <summary>Gets the blob service endpoint.</summary>
    public Uri BlobEndpoint { get; }

    /// <summary>Gets the queue service endpoint.</summary>
    public Uri QueueEndpoint { get; }

    /// <summary>Gets the table service endpoint.</summary>
    public Uri TableEndpoint { get; }

    /// <summary>Gets the shared-key credential, or null when the string carries none.</summary>
    public StorageSharedKeyCredential? Credential { get; }

    /// <summary>Builds the connection string for Azurite listening on the given ports of 127.0.0.1.</summary>
    public static string ForAzurite(int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName={DevelopmentAccountName};AccountKey={DevelopmentAccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/{DevelopmentAccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{queuePort}/{DevelopmentAccountName};" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/{DevelopmentAccountName};";

    /// <summary>Parses a connection string.</summary>
    /// <exception cref="FormatException">The string is empty, malformed, or misses a part; the message names it.</exception>
    public static StorageConnectionString Parse(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new FormatException("The storage connection string is empty.");
        }

        var parts = Split(connectionString);
        if (parts.TryGetValue("UseDevelopmentStorage", out var dev))
        {
            if (!string.Equals(dev, "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException($"UseDevelopmentStorage must be 'true', not '{dev}'.");
            }

            return Parse(ForAzurite(10000, 10001, 10002));
        }

        parts.TryGetValue("AccountName", out var account);
        parts.TryGetValue("AccountKey", out var key);
        StorageSharedKeyCredential? credential = null;
        if (key is not null || account is not null)
        {
            if (string.IsNullOrEmpty(account))
            {
                throw new FormatException("The storage connection string has an AccountKey but no AccountName.");
            }

            if (string.IsNullOrEmpty(key))
            {
                throw new FormatException($"The storage connection string names account '{account}' but has no AccountKey.");
            }

            credential = new StorageSharedKeyCredential(account, key);
        }

        var protocol = parts.GetValueOrDefault("DefaultEndpointsProtocol", "https");
        if (protocol is not ("http" or "https"))
        {
            throw new FormatException($"DefaultEndpointsProtocol must be 'http' or 'https', not '{protocol}'.");
        }

        var suffix = parts.GetValueOrDefault("EndpointSuffix", "core.windows.net");
        Uri Endpoint(string name, string service)
        {
            if (parts.TryGetValue(name, out var explicitValue))
            {
                if (!Uri.TryCreate(explicitValue, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    throw new FormatException($"{name} '{explicitValue}' is not an absolute http(s) URI.");
                }

                return uri;
            }

            if (string.IsNullOrEmpty(account))
            {
                throw new FormatException($"The storage connection string has neither {name} nor AccountName to derive it from.");
            }

            return new Uri($"{protocol}://{account}.{service}.{suffix}");
        }

        return new StorageConnectionString(Endpoint("BlobEndpoint", "blob"), Endpoint("QueueEndpoint", "queue"), Endpoint("TableEndpoint", "table"), credential);
    }

    private static Dictionary<string, string> Split(string connectionString)
    {
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = segment.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"Connection string segment '{Redact(segment)}' is not of the form Name=Value.");
            }

            var name = segment[..eq].Trim();
            if (!parts.TryAdd(name, segment[(eq + 1)..].Trim()))
            {
                throw new FormatException($"Connection string names '{name}' more than once.");
            }
        }

        return parts;
    }

    private static string Redact(string segment) => segment.Length > 24 ? segment[..24] + "…" : segment;
}
