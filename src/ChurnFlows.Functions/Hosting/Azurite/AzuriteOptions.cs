namespace ChurnFlows.Functions.Hosting.Azurite;

/// <summary>How to start Azurite.</summary>
public sealed record AzuriteOptions
{
    /// <summary>
    /// Gets the folder whose package.json pins Azurite (node_modules is installed there with
    /// <c>npm ci</c> when missing). Null: search upward from the current directory and the app folder.
    /// </summary>
    public string? ToolRoot { get; init; }

    /// <summary>Gets the data folder; null uses a new temporary folder that is deleted on dispose.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Gets the blob port; 0 picks a free one.</summary>
    public int BlobPort { get; init; }

    /// <summary>Gets the queue port; 0 picks a free one.</summary>
    public int QueuePort { get; init; }

    /// <summary>Gets the table port; 0 picks a free one.</summary>
    public int TablePort { get; init; }

    /// <summary>
    /// Gets whether Azurite keeps everything in memory (<c>--inMemoryPersistence</c>). On disk, Azurite writes
    /// queue message texts one at a time, each followed by a data sync, so the disk's sync latency caps its
    /// queue send and update rate; in memory it does not (and nothing survives the process).
    /// </summary>
    public bool InMemoryPersistence { get; init; }

    /// <summary>Gets how long to wait for the three services to answer.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets the options for Azurite's default ports (10000–10002), as <c>UseDevelopmentStorage=true</c> expects.</summary>
    public static AzuriteOptions DefaultPorts(string? dataDirectory = null) =>
        new() { BlobPort = 10000, QueuePort = 10001, TablePort = 10002, DataDirectory = dataDirectory };
}
