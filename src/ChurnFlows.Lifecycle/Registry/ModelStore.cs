using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ChurnFlows.ML.Artifacts;

namespace ChurnFlows.Lifecycle.Registry;

/// <summary>
/// Model artifacts in <c>churn-models</c>: one immutable blob per version (<c>{version}.cfm</c>) and a
/// <c>production.json</c> pointer naming the version being served; promotion swaps the pointer under an ETag.
/// </summary>
public sealed class ModelStore(BlobContainerClient models)
{
    private const string Pointer = "production.json";
    private const int MaximumPointerAttempts = 10;

    /// <summary>Saves an artifact (create-only; an existing version is left untouched). Returns the blob name.</summary>
    public async Task<string> SaveAsync(ModelArtifact artifact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var name = $"{artifact.Version}.cfm";
        try
        {
            await models.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(ModelArtifactSerializer.Serialize(artifact)), new BlobUploadOptions { Conditions = BlobConditions.CreateOnly }, cancellationToken).ConfigureAwait(false);
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
        BlobDownloadResult blob = await models.GetBlobClient($"{version}.cfm").DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        return ModelArtifactSerializer.Deserialize(blob.Content.ToMemory().Span);
    }

    /// <summary>Points production at <paramref name="version"/>.</summary>
    public Task PromoteAsync(string version, CancellationToken cancellationToken = default) =>
        PointAtAsync(_ => Task.FromResult<string?>(version), cancellationToken);

    /// <summary>
    /// Points production at the version <paramref name="resolveVersion"/> returns (nothing when it returns null). The
    /// version is asked after the pointer's ETag is read and written only if the pointer is unchanged since; when
    /// another writer got there first, both are read again. So concurrent promoters that resolve the version from the
    /// registry leave the pointer at the registry's last word, whatever order their writes arrive in.
    /// </summary>
    public async Task PointAtAsync(Func<CancellationToken, Task<string?>> resolveVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resolveVersion);
        var pointer = models.GetBlobClient(Pointer);
        for (var attempt = 1; ; attempt++)
        {
            ETag? current;
            try
            {
                current = (await pointer.GetPropertiesAsync(null, cancellationToken).ConfigureAwait(false)).Value.ETag;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                current = null;
            }

            if (await resolveVersion(cancellationToken).ConfigureAwait(false) is not { } version)
            {
                return;
            }

            var body = BinaryData.FromString(JsonSerializer.Serialize(new { version, promotedAt = DateTimeOffset.UtcNow }));
            var conditions = current is { } etag ? new BlobRequestConditions { IfMatch = etag } : BlobConditions.CreateOnly;
            try
            {
                await pointer.UploadAsync(body, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" }, Conditions = conditions }, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaximumPointerAttempts)
            {
                // Another promoter wrote the pointer since it was read: read both again.
            }
        }
    }

    /// <summary>Returns the production version, or null when none has been promoted.</summary>
    public async Task<string?> GetProductionVersionAsync(CancellationToken cancellationToken = default)
    {
        var pointer = models.GetBlobClient(Pointer);
        if (!await pointer.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        using var json = JsonDocument.Parse((await pointer.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToMemory());
        return json.RootElement.GetProperty("version").GetString();
    }
}
