using System.Globalization;
using Azure.Core;
using ChurnFlows.Storage.Pipeline;

namespace ChurnFlows.Storage.Blobs;

/// <summary>
/// Leases on one blob: exclusive write/delete locks that expire unless renewed (15–60 s, or
/// infinite). Contention surfaces as 409 <c>LeaseAlreadyPresent</c>.
/// </summary>
public sealed class BlobLeaseClient
{
    private readonly StorageService _service;
    private readonly string _path;

    internal BlobLeaseClient(StorageService service, string path, string leaseId)
    {
        _service = service;
        _path = path;
        LeaseId = leaseId;
    }

    /// <summary>Gets the lease id this client presents (changed by <see cref="ChangeAsync"/>).</summary>
    public string LeaseId { get; private set; }

    /// <summary>Acquires the lease for <paramref name="duration"/> (15–60 s), or forever when null.</summary>
    public async Task AcquireAsync(TimeSpan? duration, CancellationToken cancellationToken = default)
    {
        var seconds = duration is null ? -1 : (int)duration.Value.TotalSeconds;
        if (duration is not null && seconds is < 15 or > 60)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A lease lasts 15 to 60 seconds, or is infinite (null).");
        }

        await SendAsync("acquire", 201, cancellationToken, ("x-ms-lease-duration", seconds.ToString(CultureInfo.InvariantCulture)), ("x-ms-proposed-lease-id", LeaseId)).ConfigureAwait(false);
    }

    /// <summary>Renews the lease; fails with 409 when another holder has it.</summary>
    public Task RenewAsync(CancellationToken cancellationToken = default) =>
        SendAsync("renew", 200, cancellationToken, ("x-ms-lease-id", LeaseId));

    /// <summary>Releases the lease so others may acquire it at once.</summary>
    public Task ReleaseAsync(CancellationToken cancellationToken = default) =>
        SendAsync("release", 200, cancellationToken, ("x-ms-lease-id", LeaseId));

    /// <summary>Changes the lease id held to <paramref name="proposedLeaseId"/>.</summary>
    public async Task ChangeAsync(string proposedLeaseId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(proposedLeaseId);
        await SendAsync("change", 200, cancellationToken, ("x-ms-lease-id", LeaseId), ("x-ms-proposed-lease-id", proposedLeaseId)).ConfigureAwait(false);
        LeaseId = proposedLeaseId;
    }

    /// <summary>Breaks whatever lease is held, after <paramref name="breakPeriod"/> (0–60 s; default 0).</summary>
    public Task BreakAsync(TimeSpan? breakPeriod = null, CancellationToken cancellationToken = default) =>
        SendAsync("break", 202, cancellationToken, ("x-ms-lease-break-period", ((int)(breakPeriod ?? TimeSpan.Zero).TotalSeconds).ToString(CultureInfo.InvariantCulture)));

    private async Task SendAsync(string action, int expected, CancellationToken cancellationToken, params (string Name, string Value)[] headers)
    {
        using var message = _service.CreateMessage(RequestMethod.Put, _path);
        message.Request.Uri.AppendQuery("comp", "lease");
        message.Request.Headers.SetValue("x-ms-lease-action", action);
        foreach (var (name, value) in headers)
        {
            message.Request.Headers.SetValue(name, value);
        }

        await _service.SendAsync(message, cancellationToken, expected).ConfigureAwait(false);
    }
}
