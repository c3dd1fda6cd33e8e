using System.Text;
using Azure;
using ChurnFlows.Storage.Queues;
using ChurnFlows.TestKit;

namespace ChurnFlows.Storage.Tests.Queues;

public class QueueClientTests
{
    [Fact]
    public async Task SendMessageAsync_ThenReceiveAndDelete_EmptiesQueue()
    {
        await using var q = await AzuriteFixture.NewQueueAsync();
        await q.Client.SendMessageAsync("{\"instance\":\"é-1\"}");

        var received = Assert.Single(await q.Client.ReceiveMessagesAsync(32));
        Assert.Equal("{\"instance\":\"é-1\"}", received.Body);
        Assert.Equal(1, received.DequeueCount);
        await q.Client.DeleteMessageAsync(received.MessageId, received.PopReceipt);

        Assert.Empty(await q.Client.PeekMessagesAsync(32));
    }

    [Fact]
    public async Task SendMessageAsync_Base64_IsWhatTheFunctionsTriggerDecodes()
    {
        await using var q = await AzuriteFixture.NewQueueAsync();
        var account = await AzuriteFixture.GetAccountAsync();
        var raw = account.QueueServiceClient.GetQueueClient(q.Client.Name, QueueMessageEncoding.None);
        await q.Client.SendMessageAsync("hello <world>");

        var onTheWire = Assert.Single(await raw.PeekMessagesAsync());

        Assert.Equal("hello <world>", Encoding.UTF8.GetString(Convert.FromBase64String(onTheWire.Body)));
    }

    [Fact]
    public async Task ReceiveMessagesAsync_VisibilityTimeoutExpires_MessageReappearsWithHigherDequeueCount()
    {
        await using var q = await AzuriteFixture.NewQueueAsync();
        await q.Client.SendMessageAsync("m");
        var first = Assert.Single(await q.Client.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(1)));
        Assert.Empty(await q.Client.ReceiveMessagesAsync(1));

        IReadOnlyList<QueueMessage> again = [];
        for (var i = 0; i < 40 && again.Count == 0; i++)
        {
            await Task.Delay(100);
            again = await q.Client.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30));
        }

        var second = Assert.Single(again);
        Assert.Equal(2, second.DequeueCount);
        var stale = await Assert.ThrowsAsync<RequestFailedException>(() => q.Client.DeleteMessageAsync(first.MessageId, first.PopReceipt));
        Assert.Contains(stale.Status, new[] { 400, 404 });
        await q.Client.DeleteMessageAsync(second.MessageId, second.PopReceipt);
    }

    [Fact]
    public async Task SendMessageAsync_VisibilityDelay_HidesUntilDue()
    {
        await using var q = await AzuriteFixture.NewQueueAsync();
        await q.Client.SendMessageAsync("later", visibilityDelay: TimeSpan.FromSeconds(60), timeToLive: Timeout.InfiniteTimeSpan);

        Assert.Empty(await q.Client.ReceiveMessagesAsync(1));
        Assert.Equal(1, await q.Client.GetApproximateMessageCountAsync());
    }

    [Fact]
    public async Task UpdateMessageAsync_NewContentAndReceipt_OldReceiptInvalid()
    {
        await using var q = await AzuriteFixture.NewQueueAsync();
        await q.Client.SendMessageAsync("v1");
        var received = Assert.Single(await q.Client.ReceiveMessagesAsync(1));

        var update = await q.Client.UpdateMessageAsync(received.MessageId, received.PopReceipt, TimeSpan.Zero, "v2");

        await Assert.ThrowsAsync<RequestFailedException>(() => q.Client.DeleteMessageAsync(received.MessageId, received.PopReceipt));
        var again = Assert.Single(await q.Client.ReceiveMessagesAsync(1));
        Assert.Equal("v2", again.Body);
        Assert.NotEqual(received.PopReceipt, update.PopReceipt);
    }

    [Fact]
    public async Task SendMessageAsync_Hidden_ItsReceiptUpdatesAndDeletesWithoutAReceive()
    {
        await using var q = await AzuriteFixture.NewQueueAsync();
        var sent = await q.Client.SendMessageAsync("v1", visibilityDelay: TimeSpan.FromSeconds(60), timeToLive: Timeout.InfiniteTimeSpan);
        Assert.Empty(await q.Client.ReceiveMessagesAsync(1));

        var update = await q.Client.UpdateMessageAsync(sent.MessageId, sent.PopReceipt, TimeSpan.Zero, "v2");

        var received = Assert.Single(await q.Client.ReceiveMessagesAsync(1));
        Assert.Equal("v2", received.Body);
        Assert.Equal(1, received.DequeueCount); // never received before: sending hidden and rewriting do not count
        await Assert.ThrowsAsync<RequestFailedException>(() => q.Client.DeleteMessageAsync(sent.MessageId, update.PopReceipt));
        await q.Client.DeleteMessageAsync(received.MessageId, received.PopReceipt);
        Assert.Equal(0, await q.Client.GetApproximateMessageCountAsync());
    }

    [Fact]
    public async Task SendMessageAsync_Over64KiB_ThrowsBeforeSending()
    {
        await using var q = await AzuriteFixture.NewQueueAsync();
        var error = await Assert.ThrowsAsync<ArgumentException>(() => q.Client.SendMessageAsync(new string('x', 50_000)));
        Assert.Contains("64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClearMessagesAsync_RemovesAll()
    {
        await using var q = await AzuriteFixture.NewQueueAsync();
        for (var i = 0; i < 5; i++)
        {
            await q.Client.SendMessageAsync($"m{i}");
        }

        Assert.Equal(5, (await q.Client.PeekMessagesAsync(32)).Count);
        await q.Client.ClearMessagesAsync();
        Assert.Equal(0, await q.Client.GetApproximateMessageCountAsync());
    }
}
