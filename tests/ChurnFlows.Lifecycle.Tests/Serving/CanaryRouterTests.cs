using System.Text.Json;
using ChurnFlows.Lifecycle.Monitoring;
using ChurnFlows.Lifecycle.Registry;
using ChurnFlows.Lifecycle.Serving;
using ChurnFlows.TestKit;

namespace ChurnFlows.Lifecycle.Tests.Serving;

public class CanaryRouterTests
{
    private static readonly string[] Customers = [.. Enumerable.Range(0, 20_000).Select(i => $"C{i:D6}")];

    [Fact]
    public void RoutesToStaging_CanaryZero_SendsEveryCustomerToProduction()
    {
        var router = NewRouter(0);

        Assert.DoesNotContain(Customers, c => router.RoutesToStaging(c));
        Assert.DoesNotContain(Enumerable.Range(0, 1_000), _ => router.RoutesToStaging(null));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(20)]
    [InlineData(50)]
    [InlineData(90)]
    public void RoutesToStaging_ManyCustomers_ShareIsCloseToTheSettingAndStablePerCustomer(int percent)
    {
        var router = NewRouter(percent);
        var canary = Customers.Where(c => router.RoutesToStaging(c)).ToHashSet();

        var observed = 100.0 * canary.Count / Customers.Length;
        Assert.InRange(observed, percent - 1.0, percent + 1.0);
        var again = NewRouter(percent);
        Assert.All(Customers, c => Assert.Equal(canary.Contains(c), again.RoutesToStaging(c)));
    }

    [Fact]
    public void RoutesToStaging_CanaryHundred_SendsEveryCustomerToStaging()
    {
        var router = NewRouter(100);

        Assert.All(Customers.Take(1_000), c => Assert.True(router.RoutesToStaging(c)));
        Assert.True(router.RoutesToStaging(null));
    }

    [Fact]
    public void RoutesToStaging_RaisingTheShare_KeepsEveryEarlierCanaryCustomer()
    {
        var five = NewRouter(5);
        var twenty = NewRouter(20);

        Assert.All(Customers.Where(c => five.RoutesToStaging(c)), c => Assert.True(twenty.RoutesToStaging(c)));
    }

    [Fact]
    public void RoutesToStaging_NoCustomerId_SendsExactlyTheShareOfEvery100RequestsInterleaved()
    {
        var router = NewRouter(10);

        var routed = Enumerable.Range(0, 300).Select(i => router.RoutesToStaging(i % 2 == 0 ? null : string.Empty)).ToList();

        Assert.All(routed.Chunk(100), hundred => Assert.Equal(10, hundred.Count(r => r)));
        Assert.DoesNotContain(routed.Zip(routed.Skip(1)), pair => pair.First && pair.Second);
    }

    [Theory]
    [InlineData("C42", 77)]
    [InlineData("customer-0001", 54)]
    [InlineData("Kunde-Müller", 34)]
    public void Bucket_KnownIds_NeverChange(string customerId, int bucket)
    {
        // Changing the hash would move customers between models in the middle of a canary.
        // Expected values computed outside .NET: FNV-1a 64 over UTF-8, MurmurHash3 fmix64, modulo 100.
        Assert.Equal(bucket, CanaryRouter.Bucket(customerId));
    }

    [Fact]
    public void Bucket_LongId_IsInRange()
    {
        Assert.InRange(CanaryRouter.Bucket(new string('x', 5_000)), 0, 99);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void Constructor_PercentOutside0To100_IsRefused(int percent)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NewRouter(percent));
    }

    [Fact]
    public async Task GetModelsAsync_CanaryZero_ServesProductionEvenWhileAVersionIsInStaging()
    {
        await using var storage = await ServingRegistry.CreateAsync();
        var (production, _) = await storage.ProductionAndStagingAsync();
        using var cache = storage.NewCache();

        var models = await new CanaryRouter(cache, 0).GetModelsAsync();

        Assert.Null(models!.Staging);
        Assert.All(Customers.Take(2_000), c => Assert.Equal(production, Read(models, c).Model.Artifact.Version));
    }

    [Fact]
    public async Task GetModelsAsync_NothingPromoted_ReturnsNull()
    {
        await using var storage = await ServingRegistry.CreateAsync();
        using var cache = storage.NewCache();

        Assert.Null(await new CanaryRouter(cache, 50).GetModelsAsync());
    }

    [Fact]
    public async Task Predict_CanaryShare_AnswersAndLogsNameTheModelThatAnswered()
    {
        await using var storage = await ServingRegistry.CreateAsync();
        var (production, staging) = await storage.ProductionAndStagingAsync();
        using var cache = storage.NewCache();
        await using var logs = await AzuriteFixture.NewContainerAsync();
        // Every prediction logged (no sampling above a rate): a quick machine serves these 1,000 in well under a second.
        var log = new PredictionLogger(new PredictionLogStore(logs.Client), "canary-test", flushInterval: TimeSpan.FromHours(1), maxPerSecond: 0);
        var models = (await new CanaryRouter(cache, 30).GetModelsAsync())!;

        var results = Customers.Take(1_000).Select(c => PredictionService.Predict(Read(models, c), log, explain: false)).ToList();
        await log.DisposeAsync();

        var canary = results.Where(r => r.ModelStage == ModelStage.Staging).ToList();
        Assert.InRange(canary.Count, 250, 350);
        Assert.All(canary, r => Assert.Equal(staging, r.ModelVersion));
        Assert.All(results.Except(canary), r => Assert.Equal((production, ModelStage.Production), (r.ModelVersion, r.ModelStage)));
        var logged = await new PredictionLogStore(logs.Client).StreamPredictionsAsync(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow).ToListAsync();
        Assert.Equal(results.Select(r => (r.CustomerId, r.ModelVersion, r.ModelStage)).Order(), logged.Select(e => ((string?)e.CustomerId, e.ModelVersion, e.ModelStage)).Order());
    }

    private static CanaryRouter NewRouter(int percent)
    {
        // Routing decisions never touch storage; the cache is only there because the router serves from one.
        var account = AzuriteFixture.Connect("UseDevelopmentStorage=true");
        var store = new ModelStore(account.Blobs.GetBlobContainerClient("unused"));
        return new CanaryRouter(new ModelCache(store, new ModelRegistry(account.Tables.GetTableClient("unused"), store), TimeSpan.FromMinutes(1)), percent);
    }

    private static RoutedCustomer Read(ServingModels models, string id)
    {
        var errors = new List<FieldError>();
        var read = JsonCustomerReader.Read(Customer(id), models, errors);
        Assert.Empty(errors);
        return read.Customer!;
    }

    private static byte[] Customer(string id) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["customer_id"] = id,
        ["signup_date"] = "2023-01-15",
        ["total_purchases"] = 12,
        ["total_spent"] = 640.5,
        ["customer_lifetime_months"] = 17,
        ["support_tickets"] = 4,
        ["logins_last_30_days"] = id.Length % 7,
        ["products_owned"] = 1,
    });
}
