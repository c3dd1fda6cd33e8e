using System.Threading.Channels;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using ChurnFlows.Durable.History;
using ChurnFlows.Durable.Hub;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChurnFlows.Durable.AzureStorage;

/// <summary>
/// A task hub on Azure Storage, laid out like Durable Functions' Azure Storage provider: partitioned
/// control queues <c>&lt;hub&gt;-control-NN</c> owned through blob leases in <c>&lt;hub&gt;-leases</c>,
/// activities on <c>&lt;hub&gt;-workitems</c>, history in <c>&lt;Hub&gt;History</c> (ETag-guarded
/// sentinel row per instance), state in <c>&lt;Hub&gt;Instances</c>, and payloads over the size limits
/// as gzip blobs in <c>&lt;hub&gt;-largemessages</c>. Several processes may share one hub: each owns
/// about partitions ÷ workers control queues and takes over those of a worker that stops renewing.
/// Episodes checkpoint in crash-safe order (messages, history, instance row, then deletes); activities
/// run at least once; a message dequeued more than <see cref="AzureStorageTaskHubOptions.MaxDequeueCount"/>
/// times moves to <c>&lt;hub&gt;-poison</c> and fails its activity or orchestration. Thread-safe;
/// dispose it to release leases at once (otherwise they expire).
/// </summary>
public sealed partial class AzureStorageTaskHub : ITaskHub, IAsyncDisposable
{
    private const int Preparers = 8;
    private const int PreparedCapacity = 8;
    private readonly AzureStorageTaskHubOptions _options;
    private readonly TaskHubLayout _layout;
    private readonly QueueClient[] _controlQueues;
    private readonly QueueClient _workItems;
    private readonly QueueClient _poison;
    private readonly TableClient _history;
    private readonly TableClient _instances;
    private readonly BlobContainerClient _leases;
    private readonly LargePayloadStore _payloads;
    private readonly QueueEnvelopeCodec _codec;
    private readonly SpentMessagePool _spent;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<(ControlPartition Partition, string InstanceId)> _ready = Channel.CreateUnbounded<(ControlPartition, string)>();
    private readonly Channel<OrchestrationWorkItem> _prepared = Channel.CreateBounded<OrchestrationWorkItem>(PreparedCapacity);
    private readonly CancellationTokenSource _disposed = new();

    /// <summary>
    /// Creates a hub over the given service clients (their options decide retries, timeouts and pipeline
    /// policies); no request is made until it is used. Every worker sharing a hub must encode queue
    /// messages alike: <see cref="QueueMessageEncoding.Base64"/>, as the connection-string constructor does.
    /// </summary>
    /// <param name="blobs">The blob service: partition leases and large payloads.</param>
    /// <param name="queues">The queue service: control, work-item and poison queues.</param>
    /// <param name="tables">The table service: history and instances.</param>
    /// <param name="options">The hub's settings.</param>
    /// <param name="loggerFactory">Where the hub logs; null logs nothing.</param>
    public AzureStorageTaskHub(BlobServiceClient blobs, QueueServiceClient queues, TableServiceClient tables, AzureStorageTaskHubOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _layout = new TaskHubLayout(options.TaskHubName, options.PartitionCount);
        _controlQueues = [.. _layout.ControlQueues.Select(queues.GetQueueClient)];
        _workItems = queues.GetQueueClient(_layout.WorkItemQueue);
        _poison = queues.GetQueueClient(_layout.PoisonQueue);
        _history = tables.GetTableClient(_layout.HistoryTable);
        _instances = tables.GetTableClient(_layout.InstancesTable);
        _leases = blobs.GetBlobContainerClient(_layout.LeasesContainer);
        _payloads = new LargePayloadStore(blobs.GetBlobContainerClient(_layout.LargeMessagesContainer), options.LargePayloadThreshold);
        _codec = new QueueEnvelopeCodec(_payloads);
        _spent = new SpentMessagePool(_workItems, SpentCapacity, SpentHoldFor(options.WorkItemVisibilityTimeout));
        _time = options.TimeProvider;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<AzureStorageTaskHub>();
        _ownership = new Lazy<Task>(() => Task.WhenAll(
            [Task.Run(() => OwnPartitionsAsync(_disposed.Token)), .. Enumerable.Range(0, Preparers).Select(_ => Task.Run(() => PrepareWorkItemsAsync(_disposed.Token)))]));
    }

    /// <summary>
    /// Creates a hub from a storage connection string (<c>UseDevelopmentStorage=true</c> for Azurite), with the
    /// SDK clients' default options and base64-encoded queue messages.
    /// </summary>
    /// <param name="connectionString">The storage account's connection string.</param>
    /// <param name="options">The hub's settings.</param>
    /// <param name="loggerFactory">Where the hub logs; null logs nothing.</param>
    public AzureStorageTaskHub(string connectionString, AzureStorageTaskHubOptions options, ILoggerFactory? loggerFactory = null)
        : this(new BlobServiceClient(connectionString), new QueueServiceClient(connectionString, DefaultQueueOptions()), new TableServiceClient(connectionString), options, loggerFactory)
    {
    }

    /// <summary>Queue options for clients the hub builds itself: messages base64-encoded, the encoding every worker of a hub must share.</summary>
    internal static QueueClientOptions DefaultQueueOptions() => new() { MessageEncoding = QueueMessageEncoding.Base64 };

    /// <summary>Gets the options.</summary>
    public AzureStorageTaskHubOptions Options => _options;

    /// <summary>Gets the control-queue partitions this process owns right now.</summary>
    public IReadOnlyList<int> OwnedPartitions
    {
        get
        {
            lock (_owned)
            {
                return [.. _owned.Keys.Order()];
            }
        }
    }

    /// <inheritdoc />
    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        var creations = new List<Task>();
        creations.AddRange(_controlQueues.Select(q => q.CreateIfNotExistsAsync(cancellationToken: cancellationToken)));
        creations.Add(_workItems.CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        creations.Add(_poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        creations.Add(_history.CreateIfNotExistsAsync(cancellationToken));
        creations.Add(_instances.CreateIfNotExistsAsync(cancellationToken));
        creations.Add(_payloads.Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        creations.Add(_leases.CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        await Task.WhenAll(creations).ConfigureAwait(false);
        await Task.WhenAll(Enumerable.Range(0, _layout.PartitionCount).Select(async i =>
        {
            try
            {
                var createOnly = new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };
                await _leases.GetBlobClient(LeaseBlobName(i)).UploadAsync(BinaryData.Empty, createOnly, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another worker created it first (BlobAlreadyExists), or holds its lease (LeaseIdMissing).
            }
        })).ConfigureAwait(false);
    }

    /// <summary>Deletes every queue, table and container of the hub (for tests and teardown).</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        await DisposeAsync().ConfigureAwait(false);
        var deletions = new List<Task>();
        deletions.AddRange(_controlQueues.Select(q => q.DeleteIfExistsAsync(cancellationToken)));
        deletions.Add(_workItems.DeleteIfExistsAsync(cancellationToken));
        deletions.Add(_poison.DeleteIfExistsAsync(cancellationToken));
        deletions.Add(_history.DeleteAsync(cancellationToken)); // a missing table is not an error
        deletions.Add(_instances.DeleteAsync(cancellationToken));
        deletions.Add(_payloads.Container.DeleteIfExistsAsync(cancellationToken: cancellationToken));
        deletions.Add(_leases.DeleteIfExistsAsync(cancellationToken: cancellationToken));
        await Task.WhenAll(deletions).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> CreateInstanceAsync(TaskMessage executionStarted, DedupeMode dedupe, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executionStarted);
        var start = (ExecutionStartedEvent)executionStarted.Event;
        var key = TaskHubLayout.EscapeKey(start.InstanceId);
        var found = await _instances.GetEntityIfExistsAsync<TableEntity>(key, InstanceRows.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        var row = found.HasValue ? found.Value : null;
        var sentinel = row is null ? null : await ReadSentinelAsync(start.InstanceId, cancellationToken).ConfigureAwait(false);
        if (row is not null)
        {
            var existing = await ReadInstanceAsync(row, sentinel, cancellationToken).ConfigureAwait(false);
            if (existing.IsRunning && dedupe == DedupeMode.Refuse)
            {
                throw new OrchestrationAlreadyExistsException($"An orchestration with instance id '{start.InstanceId}' is already {existing.RuntimeStatus}.");
            }

            if (existing.IsRunning && dedupe == DedupeMode.ReuseExisting)
            {
                return false;
            }
        }

        // The message goes first: a crash before the row is written still runs the instance (the episode writes the row).
        await SendAsync(start.InstanceId, [start], DueAt(start), cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var entity = new TableEntity(key, InstanceRows.RowKey)
        {
            ["InstanceId"] = start.InstanceId,
            ["ExecutionId"] = start.ExecutionId,
            ["CreatedTime"] = now,
            ["Checkpoint"] = Math.Max(sentinel?.Checkpoint ?? 0, row?.GetInt64("Checkpoint") ?? 0),
        };
        var columns = await InstanceRows.StateColumnsAsync(start.InstanceId, new InstanceState(start.Name, OrchestrationRuntimeStatus.Pending, null, null, null, null), entity.GetInt64("Checkpoint")!.Value, now, _payloads, cancellationToken).ConfigureAwait(false);
        await InstanceRows.SetTextAsync(columns, start.InstanceId, "Input", start.Input, _payloads, cancellationToken).ConfigureAwait(false);
        InstanceRows.Apply(entity, columns);
        try
        {
            if (row is null)
            {
                await _instances.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _instances.UpdateEntityAsync(entity, row.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // The first episode already wrote a newer state.
        }

        return true;
    }

    /// <inheritdoc />
    public Task SendMessageAsync(TaskMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SendAsync(message.InstanceId, [message.Event], null, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        await _disposed.CancelAsync().ConfigureAwait(false);
        if (_ownership.IsValueCreated)
        {
            await _ownership.Value.ConfigureAwait(false);
            while (_prepared.Reader.TryRead(out var unclaimed))
            {
                Requeue((SessionLock)unclaimed.LockToken!);
            }

            await ReleaseAllAsync().ConfigureAwait(false);
        }

        await ReturnPrefetchedActivitiesAsync().ConfigureAwait(false);
        await _spent.FlushAsync().ConfigureAwait(false);

        _disposed.Dispose();
    }

    /// <summary>Sends events to an instance's control queue, hidden until <paramref name="dueAt"/> (at most one timer chunk).</summary>
    private async Task SendAsync(string instanceId, IReadOnlyList<HistoryEvent> events, DateTime? dueAt, CancellationToken cancellationToken)
    {
        var partition = _layout.PartitionOf(instanceId);
        var body = await _codec.EncodeAsync(instanceId, events, cancellationToken).ConfigureAwait(false);
        await _controlQueues[partition].EnqueueAsync(body, VisibilityDelay(dueAt), cancellationToken).ConfigureAwait(false);
        if (dueAt is null)
        {
            Nudge(partition);
        }
    }

    private TimeSpan? VisibilityDelay(DateTime? dueAt)
    {
        if (dueAt is not { } at)
        {
            return null;
        }

        var delay = new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) - _time.GetUtcNow();
        return delay <= TimeSpan.Zero ? null : delay < _options.MaxTimerChunk ? delay : _options.MaxTimerChunk;
    }

    /// <summary>When a message must not be delivered before a time (timers, delayed starts).</summary>
    private static DateTime? DueAt(HistoryEvent e) => e switch
    {
        TimerFiredEvent t => t.FireAt,
        ExecutionStartedEvent { ScheduledStartTime: { } at } => at,
        _ => null,
    };
}
