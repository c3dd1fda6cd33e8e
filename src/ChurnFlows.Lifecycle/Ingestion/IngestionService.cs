using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs.Models;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Schema;
using ChurnFlows.ML.Validation;

namespace ChurnFlows.Lifecycle.Ingestion;

/// <summary>
/// Ingests a CSV that landed in <c>churn-incoming</c>: a raw copy in bronze named by SHA-256 (the same
/// bytes twice are stored once), the validation suite, then a silver copy or a quarantined copy with
/// its report. The incoming blob is never deleted, so nothing is lost. Idempotent: re-running it
/// finds and reuses what an earlier run wrote.
/// </summary>
public sealed class IngestionService(ChurnContainers containers, DatasetSchema? schema = null, ExpectationSuite? suite = null)
{
    private readonly DatasetSchema _schema = schema ?? DatasetSchema.StandardChurn;
    private readonly ExpectationSuite _suite = suite ?? ExpectationSuite.DefaultFor(schema ?? DatasetSchema.StandardChurn);

    /// <summary>Ingests <paramref name="incomingBlobName"/>.</summary>
    public async Task<IngestionResult> IngestAsync(string incomingBlobName, CancellationToken cancellationToken = default)
    {
        BlobDownloadResult incoming = await containers.Incoming.GetBlobClient(incomingBlobName).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        var bytes = incoming.Content.ToArray();
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var bronze = containers.Bronze.GetBlobClient($"{sha}.csv");
        var alreadyRecorded = false;
        try
        {
            await bronze.UploadAsync(incoming.Content, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/csv" }, Conditions = BlobConditions.CreateOnly, Metadata = new Dictionary<string, string> { ["source"] = Uri.EscapeDataString(incomingBlobName) } }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            alreadyRecorded = true;
        }

        var read = DatasetReader.Read(new MemoryStream(bytes), _schema);
        var report = DatasetValidator.Validate(read, _suite);
        var accepted = report.Success;
        var target = accepted ? containers.Silver.GetBlobClient($"{sha}.csv") : containers.Quarantine.GetBlobClient($"{sha}/{Path.GetFileName(incomingBlobName)}");
        try
        {
            // The bytes are in hand: an upload, not a server-side copy, so no copy-source authorization is needed with an identity.
            await target.UploadAsync(incoming.Content, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/csv" }, Conditions = BlobConditions.CreateOnly }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Written by an earlier attempt: the same content under the same name.
        }

        var reportBlob = accepted ? $"validation/{sha}.json" : $"{sha}/validation-report.json";
        var reportContainer = accepted ? containers.Reports : containers.Quarantine;
        await reportContainer.GetBlobClient(reportBlob).UploadAsync(BinaryData.FromString(report.ToJson()), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, cancellationToken).ConfigureAwait(false);
        return new IngestionResult(sha, alreadyRecorded, accepted, $"{(accepted ? containers.Silver.Name : containers.Quarantine.Name)}/{target.Name}", $"{reportContainer.Name}/{reportBlob}", report, read.Dataset.RowCount, read.Dataset.PositiveRate);
    }
}
