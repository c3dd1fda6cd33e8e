using Azure.Storage.Blobs;

namespace ChurnFlows.Lifecycle;

/// <summary>The product's blob containers (one storage account; Azurite locally).</summary>
public sealed class ChurnContainers
{
    /// <summary>Creates the container clients of the account <paramref name="blobs"/> serves.</summary>
    public ChurnContainers(BlobServiceClient blobs)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        Incoming = blobs.GetBlobContainerClient("churn-incoming");
        Bronze = blobs.GetBlobContainerClient("churn-bronze");
        Silver = blobs.GetBlobContainerClient("churn-silver");
        Quarantine = blobs.GetBlobContainerClient("churn-quarantine");
        Models = blobs.GetBlobContainerClient("churn-models");
        Reports = blobs.GetBlobContainerClient("churn-reports");
        Gold = blobs.GetBlobContainerClient("churn-gold");
        Predictions = blobs.GetBlobContainerClient("churn-predictions");
    }

    /// <summary>Gets the drop zone for new CSVs.</summary>
    public BlobContainerClient Incoming { get; }

    /// <summary>Gets immutable raw copies, named by content hash.</summary>
    public BlobContainerClient Bronze { get; }

    /// <summary>Gets validated datasets.</summary>
    public BlobContainerClient Silver { get; }

    /// <summary>Gets rejected input with its validation report.</summary>
    public BlobContainerClient Quarantine { get; }

    /// <summary>Gets model artifacts by version.</summary>
    public BlobContainerClient Models { get; }

    /// <summary>Gets validation, tuning and evaluation reports.</summary>
    public BlobContainerClient Reports { get; }

    /// <summary>Gets feature matrices and splits prepared for training, by dataset and seed.</summary>
    public BlobContainerClient Gold { get; }

    /// <summary>Gets prediction logs (append blobs by hour) and posted outcomes.</summary>
    public BlobContainerClient Predictions { get; }

    /// <summary>Creates every container that is missing.</summary>
    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        foreach (var c in new[] { Incoming, Bronze, Silver, Quarantine, Models, Reports, Gold, Predictions })
        {
            await c.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
