using System.Diagnostics;
using Azure;
using Azure.Storage.Queues;

namespace ChurnFlows.Durable.AzureStorage;

/// <summary>
/// Spent activity messages: work-item messages whose activities' results are all settled (recorded in
/// history, or sent), still hidden under a receipt this process holds and never received by any worker.
/// Sending the next activity rewrites one in place (Update Message: one request instead of a delete and a put).
/// A message is kept at most <paramref name="hold"/> and only while it stays hidden with a margin;
/// otherwise it is deleted, so after a crash only the last moment's spent messages reappear, and an
/// activity they re-run is dropped by its orchestration as a duplicate (activities run at least once).
/// Thread-safe.
/// </summary>
internal sealed class SpentMessagePool(QueueClient queue, int capacity, TimeSpan hold)
{
    /// <summary>A spent message must stay hidden at least this long more to be kept.</summary>
    public static readonly TimeSpan KeepMargin = TimeSpan.FromSeconds(5);

    /// <summary>A spent message must stay hidden at least this long more to be rewritten (else its delete races its reappearance).</summary>
    public static readonly TimeSpan ReuseMargin = TimeSpan.FromSeconds(2);

    private readonly LinkedList<Spent> _spent = [];
    private bool _sweeping;

    /// <summary>Keeps a spent message for reuse; false (the caller deletes it) when it reappears too soon or the pool is full.</summary>
    public bool TryAdd(string messageId, string popReceipt, TimeSpan hiddenFor)
    {
        if (hiddenFor < KeepMargin || hold <= TimeSpan.Zero)
        {
            return false;
        }

        var now = Stopwatch.GetTimestamp();
        lock (_spent)
        {
            if (_spent.Count >= capacity)
            {
                return false;
            }

            _spent.AddLast(new Spent(messageId, popReceipt, now, now + Ticks(hiddenFor)));
            if (_sweeping)
            {
                return true;
            }

            _sweeping = true;
        }

        _ = SweepAsync();
        return true;
    }

    /// <summary>Takes the most recently spent message that is still safely hidden.</summary>
    public bool TryTake(out string messageId, out string popReceipt)
    {
        var now = Stopwatch.GetTimestamp();
        var stale = new List<Spent>();
        (messageId, popReceipt) = (string.Empty, string.Empty);
        lock (_spent)
        {
            while (_spent.Last is { } last)
            {
                _spent.RemoveLast();
                if (last.Value.HiddenUntil - now >= Ticks(ReuseMargin))
                {
                    (messageId, popReceipt) = (last.Value.MessageId, last.Value.PopReceipt);
                    break;
                }

                stale.Add(last.Value);
            }
        }

        if (stale.Count > 0)
        {
            _ = DeleteAllAsync(stale);
        }

        return messageId.Length > 0;
    }

    /// <summary>Deletes every kept message (on shutdown).</summary>
    public async Task FlushAsync()
    {
        List<Spent> all;
        lock (_spent)
        {
            all = [.. _spent];
            _spent.Clear();
        }

        await DeleteAllAsync(all).ConfigureAwait(false);
    }

    /// <summary>Deletes messages kept longer than the hold (or about to reappear) until none is left.</summary>
    private async Task SweepAsync()
    {
        while (true)
        {
            await Task.Delay(hold / 2, CancellationToken.None).ConfigureAwait(false);
            var expired = new List<Spent>();
            bool done;
            lock (_spent)
            {
                var now = Stopwatch.GetTimestamp();
                while (_spent.First is { } first && (now - first.Value.SpentAt >= Ticks(hold) || first.Value.HiddenUntil - now < Ticks(ReuseMargin)))
                {
                    expired.Add(first.Value);
                    _spent.RemoveFirst();
                }

                // An empty pool ends this sweeper; the next TryAdd starts another.
                done = _spent.Count == 0;
                _sweeping = !done;
            }

            await DeleteAllAsync(expired).ConfigureAwait(false);
            if (done)
            {
                return;
            }
        }
    }

    private Task DeleteAllAsync(List<Spent> spent) =>
        Parallel.ForEachAsync(spent, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (s, _) => await DeleteAsync(s).ConfigureAwait(false));

    private async Task DeleteAsync(Spent spent)
    {
        try
        {
            await queue.DeleteMessageAsync(spent.MessageId, spent.PopReceipt, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RequestFailedException or HttpRequestException or IOException)
        {
            // Already gone, re-received elsewhere (its activity re-runs and the result is dropped as a duplicate), or the hub is being deleted.
        }
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private sealed record Spent(string MessageId, string PopReceipt, long SpentAt, long HiddenUntil);
}
