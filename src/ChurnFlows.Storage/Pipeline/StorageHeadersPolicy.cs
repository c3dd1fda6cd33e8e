using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ChurnFlows.Storage.Pipeline;

/// <summary>Stamps <c>x-ms-version</c> and a fresh <c>x-ms-date</c> on every attempt (signatures cover the date).</summary>
internal sealed class StorageHeadersPolicy(string serviceVersion) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        message.Request.Headers.SetValue("x-ms-version", serviceVersion);
        message.Request.Headers.SetValue("x-ms-date", DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture));
    }
}
