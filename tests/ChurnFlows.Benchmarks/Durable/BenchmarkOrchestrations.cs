using ChurnFlows.Durable.Worker;

namespace ChurnFlows.Benchmarks.Durable;

/// <summary>The workloads every durable-engine suite runs: a no-op activity, a fan-out/fan-in and a sequence.</summary>
internal static class BenchmarkOrchestrations
{
    /// <summary>Creates a registry with <c>Noop</c>, <c>FanOut(n)</c> (returns n) and <c>Sequence(n)</c> (returns 0+1+…+n-1).</summary>
    public static DurableTaskRegistry Create() => new DurableTaskRegistry()
        .AddActivityFunc<int, int>("Noop", (_, x) => Task.FromResult(x))
        .AddOrchestratorFunc<int, int>("FanOut", async (ctx, n) => (await Task.WhenAll(Enumerable.Range(0, n).Select(i => ctx.CallActivityAsync<int>("Noop", i)))).Length)
        .AddOrchestratorFunc<int, int>("Sequence", async (ctx, n) =>
        {
            var sum = 0;
            for (var i = 0; i < n; i++)
            {
                sum += await ctx.CallActivityAsync<int>("Noop", i);
            }

            return sum;
        });
}
