using System.Collections.Concurrent;
using ChurnFlows.Durable.Worker;

namespace ChurnFlows.Durable.Tests.Conformance;

/// <summary>The orchestrators and activities the conformance tests run.</summary>
public static class ConformanceOrchestrations
{
    /// <summary>Per-instance attempt counters (Flaky) and code switches (NonDeterministic).</summary>
    public static ConcurrentDictionary<string, int> Attempts { get; } = new();

    /// <summary>Instances whose NonDeterministic orchestrator now takes the other branch.</summary>
    public static ConcurrentDictionary<string, bool> Flipped { get; } = new();

    /// <summary>Activity executions per instance (at-least-once observations).</summary>
    public static ConcurrentDictionary<string, int> Executions { get; } = new();

    public static void Register(DurableTaskRegistry r)
    {
        r.AddActivityFunc<string, string>("SayHello", (_, name) => Task.FromResult($"Hello {name}"));
        r.AddActivityFunc<int, int>("Double", (ctx, x) =>
        {
            Executions.AddOrUpdate(ctx.InstanceId, 1, (_, n) => n + 1);
            return Task.FromResult(2 * x);
        });
        r.AddActivityFunc<string, string>("Fail", (_, message) => throw new InvalidOperationException(message));
        r.AddActivityFunc<string, int>("Flaky", (ctx, _) =>
        {
            var attempt = Attempts.AddOrUpdate(ctx.InstanceId, 1, (_, n) => n + 1);
            return attempt < 3 ? throw new TimeoutException($"attempt {attempt} timed out") : Task.FromResult(attempt);
        });
        r.AddActivityFunc<int, int>("Slow", async (_, ms) =>
        {
            await Task.Delay(ms);
            return ms;
        });

        r.AddOrchestratorFunc<object?, string>("Hello", async (ctx, _) =>
            string.Join(", ", [await ctx.CallActivityAsync<string>("SayHello", "Tokyo"), await ctx.CallActivityAsync<string>("SayHello", "Seattle"), await ctx.CallActivityAsync<string>("SayHello", "London")]));
        r.AddOrchestratorFunc<int, long>("FanOut", async (ctx, n) =>
            (await Task.WhenAll(Enumerable.Range(1, n).Select(i => ctx.CallActivityAsync<int>("Double", i)))).Sum(x => (long)x));
        r.AddOrchestratorFunc<object?, string>("CatchFailure", async (ctx, _) =>
        {
            try
            {
                await ctx.CallActivityAsync<string>("Fail", "boom");
                return "no failure";
            }
            catch (TaskFailedException e)
            {
                return $"{e.TaskName}: {e.FailureDetails.ErrorType}: {e.FailureDetails.ErrorMessage}";
            }
        });
        r.AddOrchestratorFunc<object?, string>("Unhandled", async (ctx, _) => await ctx.CallActivityAsync<string>("Fail", "unhandled boom"));
        r.AddOrchestratorFunc<object?, int>("Retry", async (ctx, _) =>
            await ctx.CallActivityAsync<int>("Flaky", null, TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromMinutes(1), 2))));
        r.AddOrchestratorFunc<object?, string>("RetryExhausted", async (ctx, _) =>
        {
            try
            {
                await ctx.CallActivityAsync<string>("Fail", "always", TaskOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromSeconds(10))));
                return "no failure";
            }
            catch (TaskFailedException)
            {
                return "gave up";
            }
        });
        r.AddOrchestratorFunc<object?, DateTime>("Timer", async (ctx, _) =>
        {
            await ctx.CreateTimer(TimeSpan.FromHours(1), CancellationToken.None);
            return ctx.CurrentUtcDateTime;
        });
        r.AddOrchestratorFunc<object?, string>("Approval", async (ctx, _) =>
        {
            try
            {
                return await ctx.WaitForExternalEvent<string>("approve", TimeSpan.FromHours(1));
            }
            catch (TaskCanceledException)
            {
                return "timed out";
            }
        });
        r.AddOrchestratorFunc<object?, int>("WaitEvent", async (ctx, _) =>
        {
            ctx.SetCustomStatus("waiting");
            return await ctx.WaitForExternalEvent<int>("go");
        });
        r.AddOrchestratorFunc<object?, long>("Parent", async (ctx, _) =>
            await ctx.CallSubOrchestratorAsync<long>("FanOut", 10) + await ctx.CallSubOrchestratorAsync<long>("FanOut", 5));
        r.AddOrchestratorFunc<int, int>("Counter", async (ctx, count) =>
        {
            if (count < 3)
            {
                ctx.ContinueAsNew(count + 1);
                return -1;
            }

            return (count * 100) + await ctx.WaitForExternalEvent<int>("final");
        });
        r.AddOrchestratorFunc<object?, string>("NonDeterministic", async (ctx, _) =>
        {
            var first = Flipped.ContainsKey(ctx.InstanceId) ? await ctx.CallActivityAsync<int>("Double", 1) + string.Empty : await ctx.CallActivityAsync<string>("SayHello", "x");
            ctx.SetCustomStatus("waiting");
            await ctx.WaitForExternalEvent<string>("continue");
            return first;
        });
        r.AddOrchestratorFunc<object?, string[]>("Guids", async (ctx, _) =>
        {
            var before = ctx.NewGuid().ToString();
            ctx.SetCustomStatus(before);
            await ctx.WaitForExternalEvent<string>("go");
            return [before, ctx.NewGuid().ToString()];
        });
        r.AddOrchestratorFunc<int, int>("SlowFanOut", async (ctx, n) =>
            (await Task.WhenAll(Enumerable.Range(0, n).Select(_ => ctx.CallActivityAsync<int>("Slow", 100)))).Length);
    }
}
