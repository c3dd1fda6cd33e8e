using Azure.Data.Tables;
using Azure.Storage.Blobs;
using ChurnFlows.Durable.Client;
using ChurnFlows.Durable.Hub;
using ChurnFlows.Durable.Worker;
using ChurnFlows.Lifecycle.Orchestration;

namespace ChurnFlows.Lifecycle;

/// <summary>
/// The lifecycle running in one process outside a host: its storage resources created, the services,
/// and a durable worker running every lifecycle orchestration and activity on the task hub. Disposing
/// it stops the worker gracefully and disposes the hub (releasing its partition leases).
/// </summary>
public sealed class LifecycleRuntime : IAsyncDisposable
{
    private readonly ITaskHub _hub;
    private readonly DurableTaskWorker _worker;

    private LifecycleRuntime(ITaskHub hub, LifecycleServices services, DurableTaskWorker worker)
    {
        _hub = hub;
        Services = services;
        _worker = worker;
    }

    /// <summary>
    /// Gets the worker settings the lifecycle runs with: many orchestration episodes at once, because they
    /// mostly wait on storage round trips rather than CPU.
    /// </summary>
    public static DurableTaskWorkerOptions DefaultWorkerOptions { get; } = new() { MaxConcurrentOrchestrations = 32 };

    /// <summary>Gets the lifecycle's services (their client schedules on the same hub).</summary>
    public LifecycleServices Services { get; }

    /// <summary>
    /// Creates the lifecycle's containers and tables in the account <paramref name="blobs"/> and <paramref name="tables"/> serve,
    /// and the resources of <paramref name="hub"/>, then starts the worker. Takes ownership of <paramref name="hub"/>.
    /// </summary>
    public static async Task<LifecycleRuntime> StartAsync(BlobServiceClient blobs, TableServiceClient tables, ITaskHub hub, LifecycleOptions? options = null, DurableTaskWorkerOptions? workerOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hub);
        await hub.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        var services = new LifecycleServices(blobs, tables, new DurableTaskClient(hub), options);
        await services.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        var worker = new DurableTaskWorker(hub, new DurableTaskRegistry().AddLifecycle(services), workerOptions ?? DefaultWorkerOptions);
        await worker.StartAsync(cancellationToken).ConfigureAwait(false);
        return new LifecycleRuntime(hub, services, worker);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _worker.DisposeAsync().ConfigureAwait(false);
        if (_hub is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
    }
}
