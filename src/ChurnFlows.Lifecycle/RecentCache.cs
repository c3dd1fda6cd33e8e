using System.Collections.Concurrent;

namespace ChurnFlows.Lifecycle;

/// <summary>
/// Keeps the few most recently used values (loaded datasets, feature matrices) so activities that run
/// in the same process one after another load them once. Concurrent callers of one key share one load;
/// a failed load is not kept.
/// </summary>
/// <typeparam name="T">The cached value.</typeparam>
public sealed class RecentCache<T>(int capacity)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<T>>> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    /// <summary>Returns the value for <paramref name="key"/>, loading it with <paramref name="load"/> if it is not held.</summary>
    public async Task<T> GetAsync(string key, Func<Task<T>> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        var entry = _entries.GetOrAdd(key, k =>
        {
            _order.Enqueue(k);
            return new Lazy<Task<T>>(load);
        });
        try
        {
            var value = await entry.Value.ConfigureAwait(false);
            Evict();
            return value;
        }
        catch
        {
            _entries.TryRemove(new KeyValuePair<string, Lazy<Task<T>>>(key, entry));
            throw;
        }
    }

    private void Evict()
    {
        while (_entries.Count > capacity && _order.TryDequeue(out var oldest))
        {
            _entries.TryRemove(oldest, out _);
        }
    }
}
