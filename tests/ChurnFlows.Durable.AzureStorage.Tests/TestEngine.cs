using System.Collections.Concurrent;
using Azure.Core.Pipeline;
using ChurnFlows.Durable.Client;
using ChurnFlows.Durable.Worker;

namespace ChurnFlows.Durable.AzureStorage.Tests;

/// <summary>A hub on the shared Azurite with a worker and a client, and the orchestrations the hub tests run.</summary>
internal sealed class TestEngine : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly TaskCompletionSource Never = new();
    private static readonly ConcurrentDictionary<string, int> Hanging = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, int> SlowStarts = new(StringComparer.Ordinal);

    private TestEngine(AzureStorageTaskHub hub, DurableTaskWorker worker, AzureStorageTaskHubOptions options)
    {
        Hub = hub;
        Worker = worker;
        Options = options;
        Client = new DurableTaskClient(hub, timeProvider: options.TimeProvider);
    }

    public AzureStorageTaskHub Hub { get; }

    public DurableTaskWorker Worker { get; }

    public DurableTaskClient Client { get; }

    public AzureStorageTaskHubOptions Options { get; }

    /// <summary>Gets how many <c>Slow</c> activities of an instance started (tests in other classes run at the same time).</summary>
    public static int SlowRunsOf(string instanceId) => SlowStarts.GetValueOrDefault(instanceId);

    /// <summary>Gets how many <c>Hang</c> activities of an instance started.</summary>
    public static int HangsOf(string instanceId) => Hanging.GetValueOrDefault(instanceId);

    public static async Task<TestEngine> StartAsync(AzureStorageTaskHubOptions options, HttpPipelinePolicy? policy = null, int? activitySlots = null)
    {
        var hub = await TestHubs.CreateAsync(options, policy);
        var registry = new DurableTaskRegistry()
            .AddActivityFunc<string, string>("Exclaim", (_, s) => Task.FromResult(s + "!"))
            .AddActivityFunc<int, int>("Noop", (_, i) => Task.FromResult(i))
            .AddActivityFunc<string?, string>("Hang", async (ctx, _) =>
            {
                Hanging.AddOrUpdate(ctx.InstanceId, 1, (_, n) => n + 1);
                await Never.Task.WaitAsync(ctx.CancellationToken);
                return "never";
            })
            .AddActivityFunc<int, int>("Slow", async (ctx, ms) =>
            {
                SlowStarts.AddOrUpdate(ctx.InstanceId, 1, (_, n) => n + 1);
                await Task.Delay(ms);
                return ms;
            })
            .AddOrchestratorFunc<string, string>("Echo", (ctx, s) => ctx.CallActivityAsync<string>("Exclaim", s))
            .AddOrchestratorFunc<int, int>("CallSlow", (ctx, ms) => ctx.CallActivityAsync<int>("Slow", ms))
            .AddOrchestratorFunc<int, int>("FanOut", async (ctx, n) => (await Task.WhenAll(Enumerable.Range(0, n).Select(i => ctx.CallActivityAsync<int>("Noop", i)))).Length)
            .AddOrchestratorFunc<int, int>("HangFanOut", async (ctx, n) => (await Task.WhenAll(Enumerable.Range(0, n).Select(_ => ctx.CallActivityAsync<string>("Hang")))).Length)
            .AddOrchestratorFunc<int[], int>("SlowFanOut", async (ctx, countAndMs) => (await Task.WhenAll(Enumerable.Range(0, countAndMs[0]).Select(_ => ctx.CallActivityAsync<int>("Slow", countAndMs[1])))).Length)
            .AddOrchestratorFunc<int, int>("Sequence", async (ctx, n) =>
            {
                var sum = 0;
                for (var i = 0; i < n; i++)
                {
                    sum += await ctx.CallActivityAsync<int>("Noop", i);
                }

                return sum;
            })
            .AddOrchestratorFunc<object?, int>("WaitEvent", (ctx, _) => ctx.WaitForExternalEvent<int>("go"))
            .AddOrchestratorFunc<int, int>("Loop", async (ctx, n) =>
            {
                if (n > 0)
                {
                    await ctx.CallActivityAsync<int>("Noop", n);
                    ctx.ContinueAsNew(n - 1);
                }

                return n;
            })
            .AddOrchestratorFunc<object?, DateTime>("LongTimer", async (ctx, _) =>
            {
                await ctx.CreateTimer(TimeSpan.FromDays(10), CancellationToken.None);
                return ctx.CurrentUtcDateTime;
            })
            .AddOrchestratorFunc<string, string>("TwoEvents", async (ctx, s) => s + await ctx.WaitForExternalEvent<string>("go") + await ctx.WaitForExternalEvent<string>("again"))
            .AddOrchestratorFunc<string, string>("CallChild", async (ctx, child) =>
            {
                try
                {
                    return await ctx.CallSubOrchestratorAsync<string>(child, "x");
                }
                catch (TaskFailedException e)
                {
                    return $"{e.FailureDetails.ErrorType}: {e.FailureDetails.ErrorMessage}";
                }
            })
            .AddOrchestratorFunc<object?, string>("CallHang", async (ctx, _) =>
            {
                try
                {
                    return await ctx.CallActivityAsync<string>("Hang");
                }
                catch (TaskFailedException e)
                {
                    return $"{e.FailureDetails.ErrorType}: {e.FailureDetails.ErrorMessage}";
                }
            });
        var worker = new DurableTaskWorker(hub, registry, new DurableTaskWorkerOptions { TimeProvider = options.TimeProvider, PollWait = TimeSpan.FromMilliseconds(200), MaxConcurrentActivities = activitySlots ?? 8 * Environment.ProcessorCount });
        await worker.StartAsync(CancellationToken.None);
        return new TestEngine(hub, worker, options);
    }

    public async Task<OrchestrationMetadata> WaitAsync(string id)
    {
        using var cts = new CancellationTokenSource(Patience);
        return await Client.WaitForInstanceCompletionAsync(id, cts.Token);
    }

    public async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var cts = new CancellationTokenSource(Patience);
        while (!await condition())
        {
            await Task.Delay(20, cts.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Worker.DisposeAsync();
        await Hub.DeleteAsync();
    }
}
