using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure.Core;

namespace ChurnFlows.Storage.Tables;

/// <summary>Where a query continues: the service's next partition and row keys.</summary>
/// <param name="NextPartitionKey">The partition key to continue from.</param>
/// <param name="NextRowKey">The row key to continue from (may be null).</param>
public sealed record TableContinuation(string NextPartitionKey, string? NextRowKey);

/// <summary>One page of query results.</summary>
/// <param name="Items">The entities (a page may be empty yet have a continuation).</param>
/// <param name="Continuation">Where the next page starts, or null on the last page.</param>
public sealed record TablePage(IReadOnlyList<TableEntity> Items, TableContinuation? Continuation);

/// <summary>Queries.</summary>
public sealed partial class TableClient
{
    /// <summary>
    /// Streams every entity matching <paramref name="filter"/> (OData; null for all), following
    /// continuation tokens, with at most <paramref name="pageSize"/> entities per request (≤ 1000).
    /// </summary>
    public async IAsyncEnumerable<TableEntity> QueryAsync(string? filter = null, IEnumerable<string>? select = null, int? pageSize = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var selected = select?.ToArray();
        TableContinuation? continuation = null;
        do
        {
            var page = await QueryPageAsync(filter, selected, pageSize, continuation, cancellationToken).ConfigureAwait(false);
            foreach (var entity in page.Items)
            {
                yield return entity;
            }

            continuation = page.Continuation;
        }
        while (continuation is not null);
    }

    /// <summary>Fetches one page of a query.</summary>
    public async Task<TablePage> QueryPageAsync(string? filter, IEnumerable<string>? select, int? top, TableContinuation? continuation, CancellationToken cancellationToken = default)
    {
        using var message = NewMessage(RequestMethod.Get, Name + "()");
        var uri = message.Request.Uri;
        if (!string.IsNullOrEmpty(filter))
        {
            uri.AppendQuery("$filter", filter);
        }

        if (select is not null)
        {
            uri.AppendQuery("$select", string.Join(',', select));
        }

        if (top is { } n)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, nameof(top));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(n, 1000, nameof(top));
            uri.AppendQuery("$top", n.ToString(CultureInfo.InvariantCulture));
        }

        if (continuation is not null)
        {
            uri.AppendQuery("NextPartitionKey", continuation.NextPartitionKey);
            if (continuation.NextRowKey is not null)
            {
                uri.AppendQuery("NextRowKey", continuation.NextRowKey);
            }
        }

        var response = await _service.SendAsync(message, cancellationToken, 200).ConfigureAwait(false);
        using var json = JsonDocument.Parse(response.Content.ToMemory());
        var items = new List<TableEntity>();
        if (json.RootElement.TryGetProperty("value", out var value))
        {
            foreach (var element in value.EnumerateArray())
            {
                items.Add(TableEntityJson.Deserialize(element));
            }
        }

        response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var nextPk);
        response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var nextRk);
        return new TablePage(items, string.IsNullOrEmpty(nextPk) ? null : new TableContinuation(nextPk, string.IsNullOrEmpty(nextRk) ? null : nextRk));
    }
}
