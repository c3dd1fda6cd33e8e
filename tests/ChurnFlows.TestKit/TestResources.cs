using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace ChurnFlows.TestKit;

/// <summary>Unique resource names for tests that share one Azurite.</summary>
public static class UniqueName
{
    /// <summary>A lower-case name with hyphen (containers, queues, task hubs).</summary>
    public static string Lower(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 17, 63)];

    /// <summary>A letters-and-digits name (tables).</summary>
    public static string Alphanumeric(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 16, 63)];
}

/// <summary>A container removed when the test ends.</summary>
/// <param name="Client">The container.</param>
public sealed record DisposableContainer(BlobContainerClient Client) : IAsyncDisposable
{
    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await Client.DeleteIfExistsAsync();
}

/// <summary>A queue removed when the test ends.</summary>
/// <param name="Client">The queue.</param>
public sealed record DisposableQueue(QueueClient Client) : IAsyncDisposable
{
    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await Client.DeleteIfExistsAsync();
}

/// <summary>A table removed when the test ends.</summary>
/// <param name="Client">The table.</param>
public sealed record DisposableTable(TableClient Client) : IAsyncDisposable
{
    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await Client.DeleteAsync(); // a missing table is not an error
}
