using Azure;
using ChurnFlows.Storage.Blobs;
using ChurnFlows.TestKit;

namespace ChurnFlows.Storage.Tests.Blobs;

public class BlobLeaseClientTests
{
    [Fact]
    public async Task AcquireAsync_SecondClient_ConflictsUntilReleased()
    {
        await using var c = await AzuriteFixture.NewContainerAsync();
        var blob = c.Client.GetBlobClient("partition-00");
        await blob.UploadAsync(BinaryData.FromString(""));
        var first = blob.GetBlobLeaseClient();
        var second = blob.GetBlobLeaseClient();

        await first.AcquireAsync(TimeSpan.FromSeconds(15));
        var conflict = await Assert.ThrowsAsync<RequestFailedException>(() => second.AcquireAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal(409, conflict.Status);
        Assert.Equal("LeaseAlreadyPresent", conflict.ErrorCode);
        await Assert.ThrowsAsync<RequestFailedException>(() => second.RenewAsync());

        await first.RenewAsync();
        await first.ReleaseAsync();
        await second.AcquireAsync(TimeSpan.FromSeconds(15));
        Assert.Equal("leased", (await blob.GetPropertiesAsync()).LeaseState);
    }

    [Fact]
    public async Task UploadAsync_LeasedBlobWithoutLeaseId_Throws412()
    {
        await using var c = await AzuriteFixture.NewContainerAsync();
        var blob = c.Client.GetBlobClient("locked");
        await blob.UploadAsync(BinaryData.FromString("1"));
        var lease = blob.GetBlobLeaseClient();
        await lease.AcquireAsync(null);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => blob.UploadAsync(BinaryData.FromString("2")));
        Assert.Equal(412, error.Status);
        await blob.UploadAsync(BinaryData.FromString("2"), new BlobUploadOptions { Conditions = new() { LeaseId = lease.LeaseId } });
        Assert.Equal("2", (await blob.DownloadContentAsync(new BlobRequestConditions { LeaseId = lease.LeaseId })).Content.ToString());
    }

    [Fact]
    public async Task BreakAsync_ThenChange_OtherClientCanAcquire()
    {
        await using var c = await AzuriteFixture.NewContainerAsync();
        var blob = c.Client.GetBlobClient("b");
        await blob.UploadAsync(BinaryData.FromString(""));
        var holder = blob.GetBlobLeaseClient();
        await holder.AcquireAsync(TimeSpan.FromSeconds(60));
        var proposed = Guid.NewGuid().ToString();
        await holder.ChangeAsync(proposed);
        Assert.Equal(proposed, holder.LeaseId);

        await blob.GetBlobLeaseClient().BreakAsync();
        await blob.GetBlobLeaseClient().AcquireAsync(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task AcquireAsync_DurationOutOfRange_Throws()
    {
        await using var c = await AzuriteFixture.NewContainerAsync();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => c.Client.GetBlobClient("x").GetBlobLeaseClient().AcquireAsync(TimeSpan.FromSeconds(5)));
    }
}
