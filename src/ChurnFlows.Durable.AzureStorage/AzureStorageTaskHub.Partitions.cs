using System.Globalization;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace ChurnFlows.Durable.AzureStorage;

/// <summary>
/// Partition ownership by blob leases: every worker heartbeats a blob under <c>workers/</c>, holds
/// about partitions ÷ live workers leases, renews them, takes expired ones (a dead worker's), and
/// releases surplus ones (after returning their buffered messages to the queue) when others join.
/// </summary>
public sealed partial class AzureStorageTaskHub
{
    private readonly Dictionary<int, (ControlPartition Partition, BlobLeaseClient Lease)> _owned = [];
    private readonly Lazy<Task> _ownership;

    private static string LeaseBlobName(int partition) => "control-" + partition.ToString("00", CultureInfo.InvariantCulture);

    private void EnsureOwnershipStarted() => _ = _ownership.Value;

    private void Nudge(int partition)
    {
        lock (_owned)
        {
            if (_owned.TryGetValue(partition, out var owned))
            {
                owned.Partition.Wakeup.Set();
            }
        }
    }

    private async Task OwnPartitionsAsync(CancellationToken stopping)
    {
        var heartbeat = _leases.GetBlobClient("workers/" + _options.WorkerId);
        while (!stopping.IsCancellationRequested)
        {
            var balanced = true;
            try
            {
                await heartbeat.UploadAsync(BinaryData.Empty, overwrite: true, stopping).ConfigureAwait(false);
                await RenewLeasesAsync(stopping).ConfigureAwait(false);
                balanced = await BalanceAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is RequestFailedException or IOException or HttpRequestException or TimeoutException)
            {
                Logs.OwnershipFailed(_logger, e);
            }

            try
            {
                await Task.Delay(balanced ? _options.LeaseRenewInterval : _options.LeaseRenewInterval / 4, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await heartbeat.DeleteIfExistsAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
    }

    private async Task RenewLeasesAsync(CancellationToken cancellationToken)
    {
        List<(int Index, BlobLeaseClient Lease)> held;
        lock (_owned)
        {
            held = [.. _owned.Select(o => (o.Key, o.Value.Lease))];
        }

        foreach (var (index, lease) in held)
        {
            try
            {
                await lease.RenewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
            {
                Logs.PartitionLost(_logger, index, _options.WorkerId);
                await LoseAsync(index).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Acquires or releases one partition per call toward an even share; returns whether the share is already even.</summary>
    private async Task<bool> BalanceAsync(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var live = new HashSet<string>(StringComparer.Ordinal) { _options.WorkerId };
        var owners = new Dictionary<int, string?>();
        await foreach (var blob in _leases.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }, cancellationToken).ConfigureAwait(false))
        {
            if (blob.Name.StartsWith("workers/", StringComparison.Ordinal))
            {
                if (blob.Properties.LastModified > now - _options.LeaseDuration)
                {
                    live.Add(blob.Name["workers/".Length..]);
                }
            }
            else if (blob.Name.StartsWith("control-", StringComparison.Ordinal) && int.TryParse(blob.Name.AsSpan(8), CultureInfo.InvariantCulture, out var index) && index < _layout.PartitionCount)
            {
                owners[index] = blob.Properties.LeaseState == LeaseState.Leased ? (blob.Metadata is { } metadata && metadata.TryGetValue("owner", out var owner) ? owner : "?") : null;
            }
        }

        int mine;
        lock (_owned)
        {
            mine = _owned.Count;
            foreach (var index in _owned.Keys)
            {
                owners[index] = _options.WorkerId;
            }
        }

        var ceiling = (_layout.PartitionCount + live.Count - 1) / live.Count;
        var floor = _layout.PartitionCount / live.Count;
        var counts = live.ToDictionary(w => w, w => owners.Values.Count(o => o == w), StringComparer.Ordinal);
        if (mine < ceiling)
        {
            var acquired = false;
            foreach (var index in Enumerable.Range(0, _layout.PartitionCount).Where(i => owners.GetValueOrDefault(i) is null))
            {
                if (mine < ceiling && await TryAcquireAsync(index, cancellationToken).ConfigureAwait(false))
                {
                    mine++;
                    acquired = true;
                }
            }

            if (acquired)
            {
                return false;
            }
        }

        if (mine > ceiling || (mine > floor && counts.Values.Any(c => c < floor)))
        {
            int victim;
            lock (_owned)
            {
                victim = _owned.Keys.Max();
            }

            await ReleaseAsync(victim).ConfigureAwait(false);
            return false;
        }

        return counts.Values.All(c => c >= floor);
    }

    private async Task<bool> TryAcquireAsync(int index, CancellationToken cancellationToken)
    {
        var blob = _leases.GetBlobClient(LeaseBlobName(index));
        var lease = blob.GetBlobLeaseClient(Guid.NewGuid().ToString());
        try
        {
            await lease.AcquireAsync(_options.LeaseDuration, cancellationToken: cancellationToken).ConfigureAwait(false);
            await blob.SetMetadataAsync(new Dictionary<string, string> { ["owner"] = _options.WorkerId }, new BlobRequestConditions { LeaseId = lease.LeaseId }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }

        var partition = new ControlPartition(index, _controlQueues[index]);
        lock (_owned)
        {
            _owned[index] = (partition, lease);
        }

        partition.Fetching = Task.Run(() => FetchControlMessagesAsync(partition, partition.Ownership.Token), CancellationToken.None);
        Logs.PartitionAcquired(_logger, index, _options.WorkerId);
        return true;
    }

    /// <summary>Stops using a partition whose lease is gone; its buffered messages reappear for the new owner.</summary>
    private async Task LoseAsync(int index)
    {
        ControlPartition partition;
        lock (_owned)
        {
            if (!_owned.Remove(index, out var owned))
            {
                return;
            }

            partition = owned.Partition;
        }

        await partition.Ownership.CancelAsync().ConfigureAwait(false);
        await partition.Fetching.ConfigureAwait(false);
    }

    /// <summary>Hands a partition over gracefully: stop fetching, let running episodes finish, make buffered messages visible, release the lease.</summary>
    private async Task ReleaseAsync(int index)
    {
        ControlPartition partition;
        BlobLeaseClient lease;
        lock (_owned)
        {
            if (!_owned.Remove(index, out var owned))
            {
                return;
            }

            (partition, lease) = owned;
        }

        await partition.Ownership.CancelAsync().ConfigureAwait(false);
        await partition.Fetching.ConfigureAwait(false);
        for (var wait = 0; partition.LockedCount > 0 && wait < 600; wait++)
        {
            await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
        }

        List<ReceivedMessage> held;
        lock (partition)
        {
            held = [.. partition.Held.Values];
            partition.Held.Clear();
            partition.Instances.Clear();
        }

        await Parallel.ForEachAsync(held, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (m, ct) =>
            await ReturnToQueueAsync(m, TimeSpan.Zero).ConfigureAwait(false)).ConfigureAwait(false);
        try
        {
            await lease.ReleaseAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            // Already expired or taken.
        }

        Logs.PartitionReleased(_logger, index, _options.WorkerId);
    }

    private async Task ReleaseAllAsync()
    {
        int[] indexes;
        lock (_owned)
        {
            indexes = [.. _owned.Keys];
        }

        foreach (var index in indexes)
        {
            await ReleaseAsync(index).ConfigureAwait(false);
        }
    }
}
