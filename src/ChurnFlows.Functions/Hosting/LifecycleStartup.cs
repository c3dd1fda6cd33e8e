using ChurnFlows.Durable.Hub;
using ChurnFlows.Durable.Worker;
using ChurnFlows.Lifecycle;

namespace ChurnFlows.Functions.Hosting;

/// <summary>
/// Creates the containers, tables and task hub resources, then starts the durable worker. While storage
/// does not answer it logs why and tries again (1 s, doubling to 30 s), so the app still starts and
/// serves what it can (<c>/api/health</c> says storage is unreachable) instead of failing to start.
/// </summary>
internal sealed partial class LifecycleStartup(LifecycleServices lifecycle, ITaskHub hub, DurableTaskWorker worker, ILogger<LifecycleStartup> logger) : BackgroundService
{
    private int _workerStarted;

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (Volatile.Read(ref _workerStarted) == 1)
        {
            await worker.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await lifecycle.CreateIfNotExistsAsync(stoppingToken).ConfigureAwait(false);
                await hub.CreateIfNotExistsAsync(stoppingToken).ConfigureAwait(false);
                break;
            }
            catch (Exception e) when (StorageOutage.Is(e))
            {
                StorageUnavailable(logger, delay.TotalSeconds, e.Message);
                await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 30));
            }
        }

        await worker.StartAsync(stoppingToken).ConfigureAwait(false);
        Volatile.Write(ref _workerStarted, 1);
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Storage is not reachable yet; the durable worker starts once it is (next try in {Seconds} s): {Reason}")]
    private static partial void StorageUnavailable(ILogger logger, double seconds, string reason);
}
