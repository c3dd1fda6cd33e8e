using System.Buffers;
using System.Text;

namespace ChurnFlows.Lifecycle.Serving;

/// <summary>
/// Splits predictions between the Production model and the newest Staging model (the canary), sending
/// <see cref="CanaryPercent"/> percent of customers to Staging while a Staging version exists.
/// <para>
/// A customer with an id is assigned by a stable hash of the id (FNV-1a over its UTF-8 bytes, mixed, modulo
/// 100; see <see cref="Bucket"/>): the same customer always sees the same model, in every process and after
/// restarts, whether scored alone or in a batch, and raising the share only adds customers to the canary.
/// The cohort does not depend on the Staging version, so a new canary starts on the same customers.
/// Requests without an id are spread by a per-process counter: exactly that share of every 100, interleaved.
/// Batches are routed row by row, so each row names the model that answered it.
/// </para>
/// </summary>
public sealed class CanaryRouter
{
    private const int Buckets = 100;

    // Coprime with 100, so consecutive id-less requests walk every bucket before repeating one.
    private const long AnonymousStride = 37;

    private readonly ModelCache _models;
    private long _anonymous = -1;
    private ServingModels? _served;

    /// <summary>Creates a router over <paramref name="models"/> sending <paramref name="canaryPercent"/> (0–100; 0 = off) percent to Staging.</summary>
    public CanaryRouter(ModelCache models, int canaryPercent)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentOutOfRangeException.ThrowIfNegative(canaryPercent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(canaryPercent, Buckets);
        _models = models;
        CanaryPercent = canaryPercent;
    }

    /// <summary>Gets the share of customers, in percent, sent to the Staging model while one exists.</summary>
    public int CanaryPercent { get; }

    /// <summary>
    /// Returns the models that serve one request: always the Production model, and the Staging model when the
    /// canary is on and a version is in Staging. Null when no model has been promoted. With the canary off the
    /// registry is never asked for Staging.
    /// </summary>
    public ValueTask<ServingModels?> GetModelsAsync(CancellationToken cancellationToken = default)
    {
        // Between refreshes both slots answer at once, and the same pair is served by the same instance.
        var production = _models.GetAsync(cancellationToken);
        var staging = CanaryPercent > 0 ? _models.GetStagingAsync(cancellationToken) : ValueTask.FromResult<ServingModel?>(null);
        return production.IsCompletedSuccessfully && staging.IsCompletedSuccessfully
            ? ValueTask.FromResult(Serve(production.Result, staging.Result))
            : new ValueTask<ServingModels?>(GetModelsSlowlyAsync(production, staging));
    }

    private async Task<ServingModels?> GetModelsSlowlyAsync(ValueTask<ServingModel?> production, ValueTask<ServingModel?> staging)
    {
        var p = await production.ConfigureAwait(false);
        var s = await staging.ConfigureAwait(false);
        return Serve(p, s);
    }

    private ServingModels? Serve(ServingModel? production, ServingModel? staging)
    {
        if (production is null)
        {
            return null;
        }

        var served = Volatile.Read(ref _served);
        if (served is null || !ReferenceEquals(served.Production, production) || !ReferenceEquals(served.Staging, staging))
        {
            served = new ServingModels(production, staging, this);
            Volatile.Write(ref _served, served);
        }

        return served;
    }

    /// <summary>Whether a customer with <paramref name="customerId"/> (null or empty: no id) belongs to the canary share.</summary>
    public bool RoutesToStaging(string? customerId)
    {
        if (CanaryPercent == 0)
        {
            return false;
        }

        var bucket = string.IsNullOrEmpty(customerId)
            ? (int)((ulong)(Interlocked.Increment(ref _anonymous) * AnonymousStride) % Buckets)
            : Bucket(customerId);
        return bucket < CanaryPercent;
    }

    /// <summary>
    /// The customer's bucket, 0–99: FNV-1a (64-bit) over the id's UTF-8 bytes, finished with MurmurHash3's
    /// 64-bit mix so ids that differ in one character spread evenly, modulo 100. Customers in buckets below
    /// the canary percent are served by Staging.
    /// </summary>
    public static int Bucket(string customerId)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        var length = Encoding.UTF8.GetMaxByteCount(customerId.Length);
        var rented = length > 256 ? ArrayPool<byte>.Shared.Rent(length) : null;
        try
        {
            Span<byte> bytes = rented is null ? stackalloc byte[256] : rented;
            var written = Encoding.UTF8.GetBytes(customerId, bytes);
            var hash = 14695981039346656037UL;
            foreach (var b in bytes[..written])
            {
                hash = (hash ^ b) * 1099511628211UL;
            }

            hash ^= hash >> 33;
            hash *= 0xff51afd7ed558ccdUL;
            hash ^= hash >> 33;
            hash *= 0xc4ceb9fe1a85ec53UL;
            hash ^= hash >> 33;
            return (int)(hash % Buckets);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
