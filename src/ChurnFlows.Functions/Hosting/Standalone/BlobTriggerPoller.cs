using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;

namespace ChurnFlows.Functions.Hosting.Standalone;

/// <summary>
/// The standalone blob trigger: every <see cref="FunctionsHostingOptions.BlobPollInterval"/> it lists the
/// container of each blob function and hands every blob version without a success receipt to the
/// handler. Receipts (<see cref="BlobReceiptStore"/>) make a blob version run once across restarts; a
/// failed attempt is retried on the next poll, up to <see cref="FunctionsHostingOptions.MaxDequeueCount"/>
/// attempts, then given up (poisoned). One poller per storage account is assumed (local development).
/// </summary>
public sealed partial class BlobTriggerPoller(FunctionTable table, TriggerDispatcher dispatcher, StorageConnections connections, IOptions<FunctionsHostingOptions> options, ILogger<BlobTriggerPoller> logger)
{
    private readonly HashSet<string> _done = new(StringComparer.Ordinal);

    /// <summary>Runs one pass over every blob function; returns how many blob versions were handed to handlers.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken = default)
    {
        var handed = 0;
        foreach (var function in table.Functions.Where(f => f.Trigger is BlobFunctionTrigger))
        {
            handed += await PollFunctionAsync(function, (BlobFunctionTrigger)function.Trigger, cancellationToken).ConfigureAwait(false);
        }

        return handed;
    }

    /// <summary>Runs until <paramref name="stoppingToken"/> is canceled.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        if (!table.Functions.Any(f => f.Trigger is BlobFunctionTrigger))
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.BlobPollInterval);
        do
        {
            try
            {
                await PollOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (StorageOutage.Is(e)) // an outage must not stop the poller: one line, and try again
            {
                LogStorageUnreachable(logger, options.Value.BlobPollInterval.TotalSeconds, e.Message);
            }
            catch (Exception e) // nor must anything else, which is logged with its stack trace
            {
                LogPollFailed(logger, e);
            }
        }
        while (await NextTickAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<int> PollFunctionAsync(FunctionDefinition function, BlobFunctionTrigger trigger, CancellationToken cancellationToken)
    {
        var account = connections.Get(trigger.Connection);
        var container = account.Blobs.GetBlobContainerClient(trigger.Container);
        var receipts = new BlobReceiptStore(account.Tables.GetTableClient(BlobReceiptStore.TableName));
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await receipts.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        var handed = 0;
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = trigger.NamePrefix.Length > 0 ? trigger.NamePrefix : null }, cancellationToken).ConfigureAwait(false))
        {
            var etag = (item.Properties.ETag?.ToString() ?? string.Empty).Trim('"');
            var key = $"{function.Name}|{item.Name}|{etag}";
            lock (_done)
            {
                if (_done.Contains(key))
                {
                    continue;
                }
            }

            var receipt = await receipts.GetAsync(function.Name, item.Name, etag, cancellationToken).ConfigureAwait(false);
            if (receipt is { Status: not BlobReceiptStatus.Failed })
            {
                Remember(key);
                continue;
            }

            var blob = container.GetBlobClient(item.Name);
            BlobDownloadResult download = await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            var invocation = new TriggerInvocation(function.Name, Guid.NewGuid().ToString())
            {
                Blob = new BlobTriggerData(trigger.Container, item.Name, download.Content) { ETag = etag, Uri = blob.Uri, Metadata = download.Details.Metadata.AsReadOnly() },
            };
            handed++;
            var attempts = (receipt?.Attempts ?? 0) + 1;
            try
            {
                await dispatcher.DispatchAsync(function, invocation, cancellationToken).ConfigureAwait(false);
                await receipts.RecordAsync(function.Name, item.Name, etag, BlobReceiptStatus.Succeeded, attempts, null, cancellationToken).ConfigureAwait(false);
                Remember(key);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var status = attempts >= options.Value.MaxDequeueCount ? BlobReceiptStatus.Poisoned : BlobReceiptStatus.Failed;
                await receipts.RecordAsync(function.Name, item.Name, etag, status, attempts, e.Message, cancellationToken).ConfigureAwait(false);
                if (status == BlobReceiptStatus.Poisoned)
                {
                    LogPoisoned(logger, function.Name, item.Name, attempts);
                    Remember(key);
                }
            }
        }

        return handed;
    }

    private void Remember(string key)
    {
        lock (_done)
        {
            _done.Add(key);
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Blob poll failed; retrying next interval")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Blob poll could not reach storage; retrying in {Seconds} s: {Reason}")]
    private static partial void LogStorageUnreachable(ILogger logger, double seconds, string reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "Function {Function} gave up on blob {Blob} after {Attempts} attempts")]
    private static partial void LogPoisoned(ILogger logger, string function, string blob, int attempts);
}
