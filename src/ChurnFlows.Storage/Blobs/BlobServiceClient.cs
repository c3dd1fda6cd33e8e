using ChurnFlows.Storage.Pipeline;

namespace ChurnFlows.Storage.Blobs;

/// <summary>The blob service of one account. Immutable and thread-safe.</summary>
public sealed class BlobServiceClient
{
    private readonly StorageService _service;

    internal BlobServiceClient(StorageService service) => _service = service;

    /// <summary>Gets the service endpoint.</summary>
    public Uri Uri => _service.Endpoint;

    /// <summary>Gets a client for one container (no request is made).</summary>
    /// <exception cref="ArgumentException">The name breaks the container naming rules (3–63 lower-case letters, digits and single hyphens).</exception>
    public BlobContainerClient GetBlobContainerClient(string containerName)
    {
        StorageNames.ValidateContainerOrQueue(containerName, "container");
        return new BlobContainerClient(_service, containerName);
    }
}
