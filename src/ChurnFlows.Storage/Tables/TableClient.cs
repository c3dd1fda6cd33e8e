using System.Text.Json;
using Azure;
using Azure.Core;
using ChurnFlows.Storage.Pipeline;

namespace ChurnFlows.Storage.Tables;

/// <summary>How an update treats properties the entity does not carry.</summary>
public enum TableUpdateMode
{
    /// <summary>Keep them (MERGE).</summary>
    Merge,

    /// <summary>Drop them (PUT replaces the whole entity).</summary>
    Replace,
}

/// <summary>
/// One table: insert, upsert, conditional update and delete, point reads, paged queries and
/// entity group transactions. Conflicts surface as <see cref="RequestFailedException"/> with
/// status 409 (<c>EntityAlreadyExists</c>) or 412 (<c>UpdateConditionNotSatisfied</c>).
/// Immutable and thread-safe.
/// </summary>
public sealed partial class TableClient
{
    private static readonly RequestMethod Merge = new("MERGE");
    private readonly StorageService _service;

    internal TableClient(StorageService service, string name)
    {
        _service = service;
        Name = name;
    }

    /// <summary>Gets the table name.</summary>
    public string Name { get; }

    /// <summary>Creates the table unless it exists. Returns true when it was created.</summary>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = NewMessage(RequestMethod.Post, "Tables");
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        message.Request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["TableName"] = Name }));
        var response = await _service.SendAsync(message, cancellationToken, 201, 204, 409).ConfigureAwait(false);
        return response.Status != 409;
    }

    /// <summary>Deletes the table. Returns false when it did not exist.</summary>
    public async Task<bool> DeleteIfExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = NewMessage(RequestMethod.Delete, $"Tables('{Name}')");
        var response = await _service.SendAsync(message, cancellationToken, 204, 404).ConfigureAwait(false);
        return response.Status == 204;
    }

    /// <summary>Inserts a new entity; fails with 409 <c>EntityAlreadyExists</c> if the keys are taken. Returns the new ETag.</summary>
    public async Task<ETag> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        using var message = NewMessage(RequestMethod.Post, Name);
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        message.Request.Content = RequestContent.Create(TableEntityJson.Serialize(entity));
        var response = await _service.SendAsync(message, cancellationToken, 204, 201).ConfigureAwait(false);
        return entity.ETag = response.Headers.ETag ?? default;
    }

    /// <summary>Inserts the entity, or merges into / replaces the existing one, unconditionally.</summary>
    public async Task<ETag> UpsertEntityAsync(TableEntity entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        using var message = NewMessage(mode == TableUpdateMode.Merge ? Merge : RequestMethod.Put, EntityPath(entity.PartitionKey, entity.RowKey));
        message.Request.Content = RequestContent.Create(TableEntityJson.Serialize(entity));
        var response = await _service.SendAsync(message, cancellationToken, 204).ConfigureAwait(false);
        return entity.ETag = response.Headers.ETag ?? default;
    }

    /// <summary>
    /// Updates an existing entity if its ETag is <paramref name="ifMatch"/> (<see cref="ETag.All"/>:
    /// any version). Fails with 412 on a mismatch and 404 when the entity is gone.
    /// </summary>
    public async Task<ETag> UpdateEntityAsync(TableEntity entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        using var message = NewMessage(mode == TableUpdateMode.Merge ? Merge : RequestMethod.Put, EntityPath(entity.PartitionKey, entity.RowKey));
        message.Request.Headers.SetValue("If-Match", ifMatch.ToString());
        message.Request.Content = RequestContent.Create(TableEntityJson.Serialize(entity));
        var response = await _service.SendAsync(message, cancellationToken, 204).ConfigureAwait(false);
        return entity.ETag = response.Headers.ETag ?? default;
    }

    /// <summary>Deletes an entity if its ETag matches (default: any). Returns false when it did not exist.</summary>
    public async Task<bool> DeleteEntityAsync(string partitionKey, string rowKey, ETag? ifMatch = null, CancellationToken cancellationToken = default)
    {
        using var message = NewMessage(RequestMethod.Delete, EntityPath(partitionKey, rowKey));
        message.Request.Headers.SetValue("If-Match", (ifMatch ?? ETag.All).ToString());
        var response = await _service.SendAsync(message, cancellationToken, 204, 404).ConfigureAwait(false);
        return response.Status == 204;
    }

    /// <summary>Reads one entity, or returns null when it does not exist (no exception for a plain miss).</summary>
    public async Task<TableEntity?> GetEntityAsync(string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        using var message = NewMessage(RequestMethod.Get, EntityPath(partitionKey, rowKey));
        if (select is not null)
        {
            message.Request.Uri.AppendQuery("$select", string.Join(',', select));
        }

        var response = await _service.SendAsync(message, cancellationToken, 200, 404).ConfigureAwait(false);
        if (response.Status == 404)
        {
            return null;
        }

        using var json = JsonDocument.Parse(response.Content.ToMemory());
        return TableEntityJson.Deserialize(json.RootElement, response.Headers.ETag);
    }

    private HttpMessage NewMessage(RequestMethod method, string path)
    {
        var message = _service.CreateMessage(method, path);
        var headers = message.Request.Headers;
        headers.SetValue("Accept", "application/json;odata=minimalmetadata");
        headers.SetValue("Content-Type", "application/json");
        headers.SetValue("DataServiceVersion", "3.0");
        headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        return message;
    }

    private string EntityPath(string partitionKey, string rowKey)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentNullException.ThrowIfNull(rowKey);
        return $"{Name}(PartitionKey='{EscapeKey(partitionKey)}',RowKey='{EscapeKey(rowKey)}')";
    }

    private static string EscapeKey(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));
}
