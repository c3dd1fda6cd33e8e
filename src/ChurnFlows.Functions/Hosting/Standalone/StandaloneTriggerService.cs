using Microsoft.Extensions.Options;

namespace ChurnFlows.Functions.Hosting.Standalone;

/// <summary>
/// Runs the function table's timer, blob and queue triggers inside the app when it runs standalone
/// (no Functions host); under the host it does nothing, because the host fires the triggers.
/// </summary>
public sealed class StandaloneTriggerService(CronScheduler cron, BlobTriggerPoller blobs, QueueTriggerPoller queues, IOptions<FunctionsHostingOptions> options, IConfiguration configuration) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.ResolveMode(configuration) != HostMode.Standalone)
        {
            return;
        }

        await Task.Yield();
        await Task.WhenAll(cron.RunAsync(stoppingToken), blobs.RunAsync(stoppingToken), queues.RunAsync(stoppingToken)).ConfigureAwait(false);
    }
}
