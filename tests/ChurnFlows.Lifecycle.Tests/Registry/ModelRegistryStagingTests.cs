using ChurnFlows.Lifecycle.Registry;
using ChurnFlows.Lifecycle.Tests.Serving;

namespace ChurnFlows.Lifecycle.Tests.Registry;

public class ModelRegistryStagingTests
{
    [Fact]
    public async Task GetStagingAsync_TwoVersionsStaged_ReturnsTheNewest()
    {
        await using var storage = await ServingRegistry.CreateAsync();
        var older = await storage.RegisterAsync("v-older", DateTimeOffset.UtcNow.AddDays(-1));
        var newer = await storage.RegisterAsync("v-newer", DateTimeOffset.UtcNow);
        await storage.Registry.SetStageAsync(newer, ModelStage.Staging, "test");
        await storage.Registry.SetStageAsync(older, ModelStage.Staging, "test");

        Assert.Equal(newer, (await storage.Registry.GetStagingAsync())?.Version);
    }

    [Fact]
    public async Task SetStageAsync_Staging_IsRecordedInTheHistory_AndPromotionEndsIt()
    {
        await using var storage = await ServingRegistry.CreateAsync();
        var (production, staging) = await storage.ProductionAndStagingAsync();

        var history = await storage.Registry.GetHistoryAsync();
        Assert.Contains(history, c => c.Version == staging && c.Stage == ModelStage.Staging && c.Replaced is null);
        Assert.Equal(ModelStage.Staging, (await storage.Registry.GetAsync(staging))?.Stage);

        Assert.Equal(production, await storage.Registry.PromoteAsync(staging, "canary looked good"));

        Assert.Null(await storage.Registry.GetStagingAsync());
        Assert.Equal(ModelStage.Production, (await storage.Registry.GetAsync(staging))?.Stage);
        Assert.Equal(ModelStage.Archived, (await storage.Registry.GetAsync(production))?.Stage);
    }

    [Fact]
    public async Task SetStageAsync_ProductionVersion_IsRefused()
    {
        await using var storage = await ServingRegistry.CreateAsync();
        var (production, _) = await storage.ProductionAndStagingAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => storage.Registry.SetStageAsync(production, ModelStage.Staging, "test"));

        Assert.Contains(production, error.Message, StringComparison.Ordinal);
        Assert.Equal(ModelStage.Production, (await storage.Registry.GetAsync(production))?.Stage);
    }

    [Fact]
    public async Task SetStageAsync_ToProductionOrUnknownVersion_IsRefused()
    {
        await using var storage = await ServingRegistry.CreateAsync();
        var version = await storage.RegisterAsync("v-registered", saveArtifact: false);

        await Assert.ThrowsAsync<ArgumentException>(() => storage.Registry.SetStageAsync(version, ModelStage.Production, "test"));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => storage.Registry.SetStageAsync("v-unknown", ModelStage.Staging, "test"));
        Assert.Equal(ModelStage.None, (await storage.Registry.GetAsync(version))?.Stage);
    }
}
