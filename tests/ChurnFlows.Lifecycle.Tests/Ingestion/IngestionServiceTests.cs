using ChurnFlows.Lifecycle.Ingestion;
using ChurnFlows.ML.Synthetic;

namespace ChurnFlows.Lifecycle.Tests.Ingestion;

public class IngestionServiceTests
{
    [Fact]
    public async Task IngestAsync_GoodCsvTwice_SilverOnce_SecondTimeSaysAlreadyRecorded()
    {
        var (_, containers) = await LifecycleFixture.ContainersAsync();
        var csv = SyntheticChurnGenerator.ToCsv(new() { Rows = 500, Seed = Random.Shared.Next() });
        var first = $"good-{Guid.NewGuid():N}.csv";
        var second = $"again-{Guid.NewGuid():N}.csv";
        await containers.Incoming.GetBlobClient(first).UploadAsync(BinaryData.FromString(csv));
        await containers.Incoming.GetBlobClient(second).UploadAsync(BinaryData.FromString(csv));
        var service = new IngestionService(containers);

        var a = await service.IngestAsync(first);
        var b = await service.IngestAsync(second);

        Assert.True(a.Accepted);
        Assert.False(a.AlreadyRecorded);
        Assert.True(b.AlreadyRecorded);
        Assert.Equal(a.Sha256, b.Sha256);
        Assert.Equal(csv, (await containers.Silver.GetBlobClient($"{a.Sha256}.csv").DownloadContentAsync()).Value.Content.ToString());
        Assert.True(await containers.Incoming.GetBlobClient(first).ExistsAsync());
        Assert.Contains("\"success\": true", (await containers.Reports.GetBlobClient($"validation/{a.Sha256}.json").DownloadContentAsync()).Value.Content.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestAsync_BadCsv_QuarantinedWithItsReport_NothingLost()
    {
        var (_, containers) = await LifecycleFixture.ContainersAsync();
        var bad = "customer_id,total_spent,churn\nC1,abc,maybe\n";
        var name = $"bad-{Guid.NewGuid():N}.csv";
        await containers.Incoming.GetBlobClient(name).UploadAsync(BinaryData.FromString(bad));

        var result = await new IngestionService(containers).IngestAsync(name);

        Assert.False(result.Accepted);
        Assert.Equal(bad, (await containers.Quarantine.GetBlobClient($"{result.Sha256}/{name}").DownloadContentAsync()).Value.Content.ToString());
        var report = (await containers.Quarantine.GetBlobClient($"{result.Sha256}/validation-report.json").DownloadContentAsync()).Value.Content.ToString();
        Assert.Contains("missing: signup_date", report, StringComparison.Ordinal);
        Assert.False(await containers.Silver.GetBlobClient($"{result.Sha256}.csv").ExistsAsync());
        Assert.True(await containers.Incoming.GetBlobClient(name).ExistsAsync());
    }
}
