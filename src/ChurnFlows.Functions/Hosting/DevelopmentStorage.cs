using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using ChurnFlows.Functions.Hosting.Azurite;

namespace ChurnFlows.Functions.Hosting;

/// <summary>Starts Azurite for development storage when nothing listens on its ports yet.</summary>
public static class DevelopmentStorage
{
    private const int AzuriteDefaultBlobPort = 10000;

    /// <summary>
    /// Returns a started Azurite (dispose it to stop it) when <paramref name="connectionString"/> names local
    /// development storage on Azurite's default ports and nothing listens there yet; otherwise null. Azurite comes from the npm package
    /// pinned in package.json (installed on first use) and keeps its data in <c>.azurite/</c>.
    /// </summary>
    public static async Task<AzuriteProcess?> StartIfNeededAsync(string connectionString, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var blobs = new BlobServiceClient(connectionString);
        var local = blobs.Uri.IsLoopback && blobs.AccountName == AzuriteProcess.DevelopmentAccountName && blobs.Uri.Port == AzuriteDefaultBlobPort;
        if (!local || await AzuriteProcess.IsListeningAsync(blobs.Uri.Port, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        await output.WriteLineAsync("starting Azurite (pinned in package.json; installed on first use)…").ConfigureAwait(false);
        var root = AzuriteInstaller.FindToolRoot();
        return await AzuriteProcess.StartAsync(new AzuriteOptions
        {
            ToolRoot = root,
            DataDirectory = Path.Combine(root ?? Path.GetTempPath(), ".azurite"),
            BlobPort = blobs.Uri.Port,
            QueuePort = new QueueServiceClient(connectionString).Uri.Port,
            TablePort = new TableServiceClient(connectionString).Uri.Port,
        }, cancellationToken).ConfigureAwait(false);
    }
}
