using ChurnFlows.Lifecycle.Registry;

namespace ChurnFlows.Lifecycle.Tests.Serving;

public class ModelCacheTests
{
    [Fact]
    public async Task GetStagingAsync_VersionStaged_ServesItAsStaging_AndPromotionMovesItToProduction()
    {
        await using var storage = await ServingRegistry.CreateAsync();
        var (production, staging) = await storage.ProductionAndStagingAsync();
        using var cache = storage.NewCache();

        var canary = await cache.GetStagingAsync();
        Assert.Equal((staging, ModelStage.Staging), (canary?.Artifact.Version, canary?.Stage));
        var served = await cache.GetAsync();
        Assert.Equal((production, ModelStage.Production), (served?.Artifact.Version, served?.Stage));

        await storage.Registry.PromoteAsync(staging, "canary looked good");

        Assert.Null(await cache.GetStagingAsync());
        var promoted = await cache.GetAsync();
        Assert.Equal((staging, ModelStage.Production), (promoted?.Artifact.Version, promoted?.Stage));
    }

    [Theory]
    [InlineData(ModelStage.None)]
    [InlineData(ModelStage.Archived)]
    public async Task GetStagingAsync_StagingVersionMovedOut_DropsIt(ModelStage stage)
    {
        await using var storage = await ServingRegistry.CreateAsync();
        var (production, staging) = await storage.ProductionAndStagingAsync();
        using var cache = storage.NewCache();
        Assert.NotNull(await cache.GetStagingAsync());

        await storage.Registry.SetStageAsync(staging, stage, "canary ended");

        Assert.Null(await cache.GetStagingAsync());
        Assert.Equal(production, (await cache.GetAsync())?.Artifact.Version);
    }

    [Fact]
    public async Task GetStagingAsync_NothingStaged_ReturnsNull()
    {
        await using var storage = await ServingRegistry.CreateAsync();
        await storage.Registry.PromoteAsync(await storage.RegisterAsync("v-only"), "test");
        using var cache = storage.NewCache();

        Assert.Null(await cache.GetStagingAsync());
        Assert.Null(cache.StagingProblem);
        Assert.Equal("v-only", (await cache.GetAsync())?.Artifact.Version);
    }

    [Fact]
    public async Task GetStagingAsync_StagedArtifactMissing_ServesNoCanaryAndSaysWhy()
    {
        await using var storage = await ServingRegistry.CreateAsync();
        await storage.Registry.PromoteAsync(await storage.RegisterAsync("v-prod"), "test");
        await storage.Registry.SetStageAsync(await storage.RegisterAsync("v-lost", saveArtifact: false), ModelStage.Staging, "test");
        using var cache = storage.NewCache();

        Assert.Null(await cache.GetStagingAsync());
        Assert.Contains("v-lost", cache.StagingProblem, StringComparison.Ordinal);
        Assert.Equal("v-prod", (await cache.GetAsync())?.Artifact.Version);
    }

    [Fact]
    public async Task GetStagingAsync_NewerVersionStagedWhileServing_SwapsWithoutFailingARequest()
    {
        await using var storage = await ServingRegistry.CreateAsync();
        var (production, first) = await storage.ProductionAndStagingAsync();
        var second = await storage.RegisterAsync("v-canary-2", DateTimeOffset.UtcNow);
        using var cache = storage.NewCache();
        var seen = new System.Collections.Concurrent.ConcurrentBag<string?>();
        using var stop = new CancellationTokenSource();

        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var requests = 0;
            while (!stop.IsCancellationRequested || requests == 0)
            {
                Assert.Equal(production, (await cache.GetAsync())?.Artifact.Version);
                seen.Add((await cache.GetStagingAsync())?.Artifact.Version);
                requests++;
            }

            return requests;
        })).ToList();
        await Task.Delay(200);
        await storage.Registry.SetStageAsync(second, ModelStage.Staging, "newer canary");
        await Task.Delay(200);
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        Assert.All(readers, r => Assert.True(r.Result > 0));
        Assert.Contains(first, seen);
        Assert.Contains(second, seen);
        Assert.DoesNotContain(null, seen);
        Assert.Equal(second, (await cache.GetStagingAsync())?.Artifact.Version);
    }
}
