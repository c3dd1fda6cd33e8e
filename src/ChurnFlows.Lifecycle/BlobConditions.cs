using Azure;
using Azure.Storage.Blobs.Models;

namespace ChurnFlows.Lifecycle;

/// <summary>Blob write conditions the lifecycle uses.</summary>
internal static class BlobConditions
{
    /// <summary>
    /// Write only if no blob has the name (<c>If-None-Match: *</c>); otherwise the service answers 409
    /// <c>BlobAlreadyExists</c>. Immutable blobs (artifacts, bronze, gold) are written this way, so a retried
    /// activity keeps the first copy.
    /// </summary>
    public static BlobRequestConditions CreateOnly => new() { IfNoneMatch = ETag.All };
}
