using Azure.Core;
using Azure.Core.Pipeline;

namespace ChurnFlows.Storage.Pipeline;

/// <summary>Signs table requests with the SharedKeyLite scheme (date + canonical resource with only <c>comp</c>).</summary>
internal sealed class TableSharedKeyLitePolicy(StorageSharedKeyCredential credential) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        var uri = request.Uri.ToUri();
        request.Headers.TryGetValue("x-ms-date", out var date);
        var resource = "/" + credential.AccountName + uri.AbsolutePath;
        if (QueryParameters.Parse(uri.Query).TryGetValue("comp", out var comp))
        {
            resource += "?comp=" + string.Join(',', comp);
        }

        var signature = credential.ComputeSignature(date + "\n" + resource);
        request.Headers.SetValue("Authorization", $"SharedKeyLite {credential.AccountName}:{signature}");
    }
}
