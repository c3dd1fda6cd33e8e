using Azure.Core;
using Azure.Core.Pipeline;

namespace ChurnFlows.TestKit;

/// <summary>
/// Counts storage requests at the HTTP pipeline (every try, retries included). Add it with
/// <c>options.AddPolicy(counter, HttpPipelinePosition.PerRetry)</c>.
/// </summary>
public sealed class StorageOperationCounter : HttpPipelineSynchronousPolicy
{
    private long _count;

    /// <summary>Gets the number of requests sent since creation or the last <see cref="Reset"/>.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Starts counting from zero.</summary>
    public void Reset() => Interlocked.Exchange(ref _count, 0);

    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
}
