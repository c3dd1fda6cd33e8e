using ChurnFlows.Storage.Pipeline;

namespace ChurnFlows.Storage.Tables;

/// <summary>The table service of one account. Immutable and thread-safe.</summary>
public sealed class TableServiceClient
{
    private readonly StorageService _service;

    internal TableServiceClient(StorageService service) => _service = service;

    /// <summary>Gets the service endpoint.</summary>
    public Uri Uri => _service.Endpoint;

    /// <summary>Gets a client for one table (no request is made).</summary>
    /// <param name="tableName">3–63 letters and digits, starting with a letter.</param>
    public TableClient GetTableClient(string tableName)
    {
        StorageNames.ValidateTable(tableName);
        return new TableClient(_service, tableName);
    }
}
