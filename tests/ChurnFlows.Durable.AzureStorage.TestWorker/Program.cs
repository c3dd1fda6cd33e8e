using System.Diagnostics;
using Azure.Data.Tables;
using ChurnFlows.Durable.AzureStorage;
using ChurnFlows.Durable.Hub;
using ChurnFlows.Durable.Worker;

// A worker process for multi-process tests: `dotnet ChurnFlows.Durable.AzureStorage.TestWorker.dll <connection> <hub> <side-effect table>`.
// Runs until its standard input closes. CHURNFLOWS_KILL_AT=<stage>:<n> kills the process (SIGKILL) the n-th time a
// checkpoint reaches <stage>; <n> = "terminal" means the first checkpoint that finishes an orchestration.
// CHURNFLOWS_ACTIVITY_DELAY_MS sets how long each Record activity takes (default 5 ms).
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: <connection string> <task hub> <side-effect table>");
    return 2;
}

var sideEffects = new TableServiceClient(args[0]).GetTableClient(args[2]);
await sideEffects.CreateIfNotExistsAsync();
var options = new AzureStorageTaskHubOptions
{
    TaskHubName = args[1],
    LeaseDuration = TimeSpan.FromSeconds(15),
    LeaseRenewInterval = TimeSpan.FromSeconds(2),
    ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(15),
    WorkItemVisibilityTimeout = TimeSpan.FromSeconds(15),
    MaxPollingInterval = TimeSpan.FromMilliseconds(200),
    WorkerId = $"pid-{Environment.ProcessId}",
    CheckpointProbe = KillSwitch(Environment.GetEnvironmentVariable("CHURNFLOWS_KILL_AT")),
};

var activityDelay = int.TryParse(Environment.GetEnvironmentVariable("CHURNFLOWS_ACTIVITY_DELAY_MS"), out var ms) ? ms : 5;
var registry = new DurableTaskRegistry()
    .AddActivityFunc<int, int>("Record", async (ctx, i) =>
    {
        await sideEffects.AddEntityAsync(new TableEntity(ctx.InstanceId, $"{i:D5}-{Guid.NewGuid():N}") { ["Worker"] = options.WorkerId });
        await Task.Delay(activityDelay);
        return i;
    })
    .AddOrchestratorFunc<int, long>("FanOut", async (ctx, n) =>
        (await Task.WhenAll(Enumerable.Range(1, n).Select(i => ctx.CallActivityAsync<int>("Record", i)))).Sum(x => (long)x));

await using var hub = new AzureStorageTaskHub(args[0], options);
var worker = new DurableTaskWorker(hub, registry, new DurableTaskWorkerOptions { PollWait = TimeSpan.FromMilliseconds(500) });
await worker.StartAsync(CancellationToken.None);
Console.WriteLine("ready");
await Console.In.ReadToEndAsync();
await worker.StopAsync(CancellationToken.None);
return 0;

static Action<CheckpointStage, OrchestrationCheckpoint>? KillSwitch(string? spec)
{
    if (string.IsNullOrEmpty(spec))
    {
        return null;
    }

    var parts = spec.Split(':');
    var stage = Enum.Parse<CheckpointStage>(parts[0]);
    var terminal = parts[1] == "terminal";
    var remaining = terminal ? 1 : int.Parse(parts[1]);
    return (reached, checkpoint) =>
    {
        if (reached != stage || (terminal && checkpoint.State.Status is not (ChurnFlows.Durable.OrchestrationRuntimeStatus.Completed or ChurnFlows.Durable.OrchestrationRuntimeStatus.Failed)))
        {
            return;
        }

        if (Interlocked.Decrement(ref remaining) == 0)
        {
            Console.WriteLine($"killing at {reached}");
            Console.Out.Flush();
            Process.GetCurrentProcess().Kill();
            Thread.Sleep(Timeout.Infinite);
        }
    };
}
