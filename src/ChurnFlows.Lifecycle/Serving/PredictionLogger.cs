using System.Threading.Channels;
using ChurnFlows.Lifecycle.Monitoring;

namespace ChurnFlows.Lifecycle.Serving;

/// <summary>
/// Logs predictions off the hot path: <see cref="TryLog"/> only writes into a bounded in-memory buffer;
/// a background loop appends batches to the prediction log every flush interval, or sooner once a quarter
/// of the buffer is waiting (so bursts do not overflow it between flushes). When the buffer is full
/// (storage slower than traffic) new entries are dropped and counted rather than slowing requests down.
/// </summary>
public sealed class PredictionLogger : IAsyncDisposable
{
    private readonly Channel<PredictionLogEntry> _buffer;
    private readonly PredictionLogStore _store;
    private readonly string _writer;
    private readonly TimeSpan _flushInterval;
    private readonly int _backlogFlushSize;
    private readonly Task _loop;
    private readonly CancellationTokenSource _stop = new();
    private long _dropped;
    private long _written;
    private long _failedBatches;

    /// <summary>Creates a logger writing as <paramref name="writer"/> (unique per process) every <paramref name="flushInterval"/>.</summary>
    public PredictionLogger(PredictionLogStore store, string writer, int capacity = 100_000, TimeSpan? flushInterval = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _writer = writer;
        _flushInterval = flushInterval ?? TimeSpan.FromSeconds(2);
        _backlogFlushSize = Math.Max(1, capacity / 4);
        _buffer = Channel.CreateBounded<PredictionLogEntry>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Gets how many entries were dropped because the buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Gets how many entries were written.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Gets how many batches failed to write (their entries are dropped and counted).</summary>
    public long FailedBatches => Interlocked.Read(ref _failedBatches);

    /// <summary>Queues an entry; never blocks.</summary>
    public void TryLog(PredictionLogEntry entry)
    {
        if (!_buffer.Writer.TryWrite(entry))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Writes everything queued so far.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var batch = new List<PredictionLogEntry>();
        while (_buffer.Reader.TryRead(out var e))
        {
            batch.Add(e);
        }

        await WriteAsync(batch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the loop after writing what is queued.</summary>
    public async ValueTask DisposeAsync()
    {
        _buffer.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        await FlushAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await WaitForBatchAsync(_stop.Token).ConfigureAwait(false);
                await FlushAsync(_stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Disposal writes the rest.
        }
    }

    private async Task WaitForBatchAsync(CancellationToken cancellationToken)
    {
        var poll = TimeSpan.FromMilliseconds(Math.Min(100, _flushInterval.TotalMilliseconds));
        for (var waited = TimeSpan.Zero; waited < _flushInterval && _buffer.Reader.Count < _backlogFlushSize; waited += poll)
        {
            await Task.Delay(poll, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteAsync(List<PredictionLogEntry> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await _store.AppendPredictionsAsync(_writer, batch, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _written, batch.Count);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or IOException)
        {
            Interlocked.Increment(ref _failedBatches);
            Interlocked.Add(ref _dropped, batch.Count);
        }
    }
}
