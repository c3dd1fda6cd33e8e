using Azure;
using Azure.Storage.Blobs.Models;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Schema;

namespace ChurnFlows.Lifecycle.Training;

/// <summary>Where a prepared dataset lives and how big its parts are.</summary>
/// <param name="BlobName">The blob in <c>churn-gold</c>.</param>
/// <param name="DatasetSha256">The silver dataset it came from.</param>
/// <param name="Seed">The split's seed.</param>
/// <param name="TrainRows">Training rows.</param>
/// <param name="ValidationRows">Validation rows.</param>
/// <param name="TestRows">Holdout rows.</param>
public sealed record GoldReference(string BlobName, string DatasetSha256, int Seed, int TrainRows, int ValidationRows, int TestRows);

/// <summary>
/// Reads silver datasets and prepares gold ones: the stratified 70/15/15 split and the feature pipeline
/// fitted on the training part. Preparing is idempotent (an existing gold blob is reused), and loads are
/// cached in process so a worker's trials share one copy.
/// </summary>
public sealed class GoldDatasetStore(ChurnContainers containers, DatasetSchema? schema = null)
{
    private readonly DatasetSchema _schema = schema ?? DatasetSchema.StandardChurn;
    private readonly RecentCache<TabularDataset> _silver = new(2);
    private readonly RecentCache<GoldDataset> _gold = new(2);

    /// <summary>Loads the silver dataset with content hash <paramref name="sha256"/>.</summary>
    public Task<TabularDataset> LoadSilverAsync(string sha256, CancellationToken cancellationToken = default) =>
        _silver.GetAsync(sha256, async () =>
        {
            BlobDownloadResult blob = await containers.Silver.GetBlobClient($"{sha256}.csv").DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return DatasetReader.Read(blob.Content.ToStream(), _schema).Dataset;
        });

    /// <summary>Splits and featurizes the silver dataset once; returns where the result is.</summary>
    public async Task<GoldReference> PrepareAsync(string sha256, int seed, CancellationToken cancellationToken = default)
    {
        var name = $"{sha256}/seed-{seed}.gold";
        var blob = containers.Gold.GetBlobClient(name);
        if (!await blob.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            var silver = await LoadSilverAsync(sha256, cancellationToken).ConfigureAwait(false);
            var gold = GoldDataset.Prepare(silver, seed).Gold;
            try
            {
                await blob.UploadAsync(BinaryData.FromBytes(gold.ToBytes()), new BlobUploadOptions { Conditions = BlobConditions.CreateOnly }, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // Another attempt wrote the same deterministic bytes first.
            }
        }

        var loaded = await LoadAsync(name, cancellationToken).ConfigureAwait(false);
        return new GoldReference(name, sha256, seed, loaded.Train.Rows.Length, loaded.Validation.Rows.Length, loaded.Test.Rows.Length);
    }

    /// <summary>Loads a gold dataset.</summary>
    public Task<GoldDataset> LoadAsync(string blobName, CancellationToken cancellationToken = default) =>
        _gold.GetAsync(blobName, async () =>
        {
            BlobDownloadResult blob = await containers.Gold.GetBlobClient(blobName).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return GoldDataset.FromBytes(blob.Content.ToMemory());
        });
}
