using System.Threading.Channels;
using ChurnFlows.Lifecycle.Monitoring;

namespace ChurnFlows.Lifecycle.Serving;

/// <summary>
/// Logs predictions off the hot path: <see cref="TryLog"/> only writes into a bounded in-memory buffer;
/// a background loop appends batches to the prediction log every flush interval, or sooner once a quarter
/// of the buffer is waiting (so bursts do not overflow it between flushes).
/// <para>
/// Above <c>maxPerSecond</c> predictions a second the logger samples, as Application Insights' adaptive
/// sampling does: it keeps one prediction in <c>k</c> at random, with <c>k</c> set every 100 ms from the rate
/// of the 100 ms before so that about <c>maxPerSecond</c> a second are kept (a burst is logged whole for at
/// most that long), and each kept entry carries
/// <see cref="PredictionLogEntry.Weight"/> = <c>k</c>. A uniform sample with its weights gives drift
/// monitoring the same distributions and volumes, and keeps the log's cost flat however busy the service
/// is (every logged prediction costs storage writes that otherwise compete with scoring).
/// When the buffer is still full (storage slower than even that) new entries are dropped and counted
/// rather than slowing requests down.
/// </para>
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
    private const int SamplingWindowMilliseconds = 100;
    private readonly int _maxPerSecond;
    private long _windowStart = Environment.TickCount64;
    private long _windowOffered;
    private int _keepOneIn = 1;
    private long _sampledOut;
    private long _dropped;
    private long _written;
    private long _failedBatches;

    /// <summary>
    /// Creates a logger writing as <paramref name="writer"/> (unique per process) every <paramref name="flushInterval"/>,
    /// sampling above <paramref name="maxPerSecond"/> predictions a second (0: log every prediction).
    /// </summary>
    public PredictionLogger(PredictionLogStore store, string writer, int capacity = 100_000, TimeSpan? flushInterval = null, int maxPerSecond = DefaultMaxPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPerSecond);
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _maxPerSecond = maxPerSecond;
        _writer = writer;
        _flushInterval = flushInterval ?? TimeSpan.FromSeconds(2);
        _backlogFlushSize = Math.Max(1, capacity / 4);
        _buffer = Channel.CreateBounded<PredictionLogEntry>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The default rate above which predictions are sampled: per process, plenty for drift statistics.</summary>
    public const int DefaultMaxPerSecond = 1_000;

    /// <summary>Gets how many served predictions sampling left out (each is stood for by a kept entry's weight).</summary>
    public long SampledOut => Interlocked.Read(ref _sampledOut);

    /// <summary>Gets how many entries were dropped because the buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Gets how many entries were written.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Gets how many batches failed to write (their entries are dropped and counted).</summary>
    public long FailedBatches => Interlocked.Read(ref _failedBatches);

    /// <summary>
    /// Counts one served prediction and says whether to log it: 0 when sampling leaves it out, otherwise the
    /// weight its entry carries (1 below the rate). Call it before building the entry, so a prediction left
    /// out costs nothing more.
    /// </summary>
    public int Sample()
    {
        var offered = Interlocked.Increment(ref _windowOffered);
        var now = Environment.TickCount64;
        var start = Volatile.Read(ref _windowStart);
        if (now - start >= SamplingWindowMilliseconds && Interlocked.CompareExchange(ref _windowStart, now, start) == start)
        {
            Interlocked.Exchange(ref _windowOffered, 0);
            var perSecond = offered * 1_000.0 / (now - start);
            Volatile.Write(ref _keepOneIn, _maxPerSecond == 0 ? 1 : (int)Math.Clamp(Math.Ceiling(perSecond / _maxPerSecond), 1, int.MaxValue));
        }

        var keepOneIn = Volatile.Read(ref _keepOneIn);
        if (keepOneIn > 1 && Random.Shared.Next(keepOneIn) != 0)
        {
            Interlocked.Increment(ref _sampledOut);
            return 0;
        }

        return keepOneIn;
    }

    /// <summary>Queues an entry (see <see cref="Sample"/> for whether to, and its weight); never blocks.</summary>
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
