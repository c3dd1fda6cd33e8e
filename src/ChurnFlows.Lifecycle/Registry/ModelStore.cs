using System.Text.Json;
using Azure;
using ChurnFlows.ML.Artifacts;
using ChurnFlows.Storage.Blobs;

namespace ChurnFlows.Lifecycle.Registry;

/// <summary>
/// Model artifacts in <c>churn-models</c>: one immutable blob per version (<c>{version}.cfm</c>) and a
/// <c>production.json</c> pointer naming the version being served; promotion swaps the pointer under an ETag.
/// ML.NET's model of a version is saved beside it (<c>{version}.mlnet.zip</c>) when the artifact has one.
/// </summary>
public sealed class ModelStore(BlobContainerClient models)
{
    private const string Pointer = "production.json";

    /// <summary>Saves an artifact and its ML.NET model (create-only; an existing version is left untouched). Returns the artifact's blob name.</summary>
    public async Task<string> SaveAsync(ModelArtifact artifact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        if (!artifact.MlNetModel.IsEmpty)
        {
            // Before the artifact, whose blob tells a repeated activity that the version is saved.
            await SaveMlNetModelAsync(artifact, cancellationToken).ConfigureAwait(false);
        }

        var name = $"{artifact.Version}.cfm";
        try
        {
            await models.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(ModelArtifactSerializer.Serialize(artifact)), new BlobUploadOptions { Conditions = BlobRequestConditions.CreateOnly }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // The version was saved by an earlier attempt: artifacts are immutable.
        }

        return name;
    }

    /// <summary>Loads a version.</summary>
    /// <exception cref="InvalidDataException">The stored file is corrupt or incompatible.</exception>
    public async Task<ModelArtifact> LoadAsync(string version, CancellationToken cancellationToken = default)
    {
        var blob = await models.GetBlobClient($"{version}.cfm").DownloadContentAsync(null, cancellationToken).ConfigureAwait(false);
        return ModelArtifactSerializer.Deserialize(blob.Content.ToMemory().Span);
    }

    /// <summary>Points production at <paramref name="version"/>.</summary>
    public async Task PromoteAsync(string version, CancellationToken cancellationToken = default)
    {
        var pointer = models.GetBlobClient(Pointer);
        var current = await pointer.ExistsAsync(cancellationToken).ConfigureAwait(false) ? await pointer.GetPropertiesAsync(null, cancellationToken).ConfigureAwait(false) : null;
        var body = BinaryData.FromString(JsonSerializer.Serialize(new { version, promotedAt = DateTimeOffset.UtcNow }));
        await pointer.UploadAsync(body, new BlobUploadOptions { ContentType = "application/json", Conditions = current is null ? BlobRequestConditions.CreateOnly : new BlobRequestConditions { IfMatch = current.ETag } }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns the production version, or null when none has been promoted.</summary>
    public async Task<string?> GetProductionVersionAsync(CancellationToken cancellationToken = default)
    {
        var pointer = models.GetBlobClient(Pointer);
        if (!await pointer.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        using var json = JsonDocument.Parse((await pointer.DownloadContentAsync(null, cancellationToken).ConfigureAwait(false)).Content.ToMemory());
        return json.RootElement.GetProperty("version").GetString();
    }

    private async Task SaveMlNetModelAsync(ModelArtifact artifact, CancellationToken cancellationToken)
    {
        try
        {
            await models.GetBlobClient($"{artifact.Version}.mlnet.zip").UploadAsync(BinaryData.FromBytes(artifact.MlNetModel), new BlobUploadOptions { ContentType = "application/zip", Conditions = BlobRequestConditions.CreateOnly }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Saved by an earlier attempt.
        }
    }
}
