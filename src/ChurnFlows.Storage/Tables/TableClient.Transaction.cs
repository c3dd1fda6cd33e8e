using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;

namespace ChurnFlows.Storage.Tables;

/// <summary>Entity group transactions.</summary>
public sealed partial class TableClient
{
    /// <summary>The most operations one transaction may hold.</summary>
    public const int MaxTransactionActions = 100;

    /// <summary>
    /// Runs up to 100 operations on one partition atomically: all succeed or none is applied.
    /// Returns the new ETag of each operation (default for deletes). A failure throws
    /// <see cref="RequestFailedException"/> whose message names the failing operation's index.
    /// </summary>
    /// <exception cref="ArgumentException">No actions, more than 100, several partitions, or one entity twice.</exception>
    public async Task<IReadOnlyList<ETag>> SubmitTransactionAsync(IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actions);
        Validate(actions);
        var batch = "batch_" + Guid.NewGuid().ToString("N");
        var changeset = "changeset_" + Guid.NewGuid().ToString("N");
        var body = BuildBody(actions, batch, changeset);
        using var message = _service.CreateMessage(RequestMethod.Post, "$batch");
        var headers = message.Request.Headers;
        headers.SetValue("Content-Type", "multipart/mixed; boundary=" + batch);
        headers.SetValue("Accept", "application/json;odata=minimalmetadata");
        headers.SetValue("DataServiceVersion", "3.0");
        headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        message.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(body));
        var response = await _service.SendAsync(message, cancellationToken, 202).ConfigureAwait(false);
        return ParseResponse(response.Content.ToString(), actions.Count);
    }

    private static void Validate(IReadOnlyList<TableTransactionAction> actions)
    {
        if (actions.Count is 0 or > MaxTransactionActions)
        {
            throw new ArgumentException($"A transaction holds 1 to {MaxTransactionActions} actions; this one has {actions.Count}.", nameof(actions));
        }

        var partition = actions[0].Entity.PartitionKey;
        var rows = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < actions.Count; i++)
        {
            var entity = actions[i].Entity;
            if (entity.PartitionKey != partition)
            {
                throw new ArgumentException($"Action {i} targets partition '{entity.PartitionKey}'; a transaction stays in one partition ('{partition}').", nameof(actions));
            }

            if (!rows.Add(entity.RowKey))
            {
                throw new ArgumentException($"Action {i} touches row '{entity.RowKey}' a second time; a transaction touches each entity once.", nameof(actions));
            }
        }
    }

    private string BuildBody(IReadOnlyList<TableTransactionAction> actions, string batch, string changeset)
    {
        var baseUri = _service.Endpoint.AbsoluteUri.TrimEnd('/');
        var body = new StringBuilder(actions.Count * 256);
        body.Append("--").Append(batch).Append("\r\n");
        body.Append("Content-Type: multipart/mixed; boundary=").Append(changeset).Append("\r\n\r\n");
        foreach (var action in actions)
        {
            var (method, path, ifMatch, withBody) = action.ActionType switch
            {
                TableTransactionActionType.Add => ("POST", Name, (string?)null, true),
                TableTransactionActionType.UpsertMerge => ("MERGE", EntityPath(action.Entity.PartitionKey, action.Entity.RowKey), null, true),
                TableTransactionActionType.UpsertReplace => ("PUT", EntityPath(action.Entity.PartitionKey, action.Entity.RowKey), null, true),
                TableTransactionActionType.UpdateMerge => ("MERGE", EntityPath(action.Entity.PartitionKey, action.Entity.RowKey), IfMatch(action.ETag), true),
                TableTransactionActionType.UpdateReplace => ("PUT", EntityPath(action.Entity.PartitionKey, action.Entity.RowKey), IfMatch(action.ETag), true),
                _ => ("DELETE", EntityPath(action.Entity.PartitionKey, action.Entity.RowKey), IfMatch(action.ETag), false),
            };
            body.Append("--").Append(changeset).Append("\r\n");
            body.Append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n");
            body.Append(method).Append(' ').Append(baseUri).Append('/').Append(path).Append(" HTTP/1.1\r\n");
            body.Append("Accept: application/json;odata=minimalmetadata\r\nDataServiceVersion: 3.0\r\n");
            if (ifMatch is not null)
            {
                body.Append("If-Match: ").Append(ifMatch).Append("\r\n");
            }

            if (withBody)
            {
                body.Append("Content-Type: application/json\r\nPrefer: return-no-content\r\n\r\n");
                body.Append(Encoding.UTF8.GetString(TableEntityJson.Serialize(action.Entity))).Append("\r\n");
            }
            else
            {
                body.Append("\r\n");
            }
        }

        body.Append("--").Append(changeset).Append("--\r\n");
        body.Append("--").Append(batch).Append("--\r\n");
        return body.ToString();
    }

    private static string IfMatch(ETag etag) => etag == default ? "*" : etag.ToString();

    private static List<ETag> ParseResponse(string body, int count)
    {
        var etags = new List<ETag>(count);
        var lines = body.Split("\r\n");
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("HTTP/1.1 ", StringComparison.Ordinal))
            {
                continue;
            }

            var status = int.Parse(lines[i].AsSpan(9, 3), CultureInfo.InvariantCulture);
            if (status >= 400)
            {
                throw TransactionFailure(status, lines[i][13..], lines.Skip(i + 1));
            }

            ETag etag = default;
            for (var j = i + 1; j < lines.Length && lines[j].Length > 0; j++)
            {
                if (lines[j].StartsWith("ETag:", StringComparison.OrdinalIgnoreCase))
                {
                    etag = new ETag(lines[j][5..].Trim());
                }
            }

            etags.Add(etag);
        }

        return etags;
    }

    private static RequestFailedException TransactionFailure(int status, string reason, IEnumerable<string> rest)
    {
        var json = rest.FirstOrDefault(l => l.StartsWith('{'));
        string? code = null;
        string? detail = null;
        if (json is not null)
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.TryGetProperty("odata.error", out var error))
            {
                code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
                detail = error.TryGetProperty("message", out var m) && m.TryGetProperty("value", out var v) ? v.GetString()?.Split('\n')[0] : null;
            }
        }

        var index = detail is not null && detail.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon && int.TryParse(detail.AsSpan(0, colon), CultureInfo.InvariantCulture, out var n) ? n : -1;
        var which = index >= 0 ? $"action {index} failed" : "an action failed";
        return new RequestFailedException(status, $"Table transaction rolled back: {which} with {status} {reason}{(code is null ? string.Empty : $" ({code})")}: {detail}", code, null);
    }
}
