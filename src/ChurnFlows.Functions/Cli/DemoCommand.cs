using System.Diagnostics;
using System.Globalization;
using ChurnFlows.Lifecycle;
using ChurnFlows.Lifecycle.Ingestion;
using ChurnFlows.Lifecycle.Registry;
using ChurnFlows.Lifecycle.Training;
using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Explain;
using ChurnFlows.ML.Synthetic;
using ChurnFlows.Storage;
using ChurnFlows.Storage.Blobs;
using ChurnFlows.Storage.Emulator;

namespace ChurnFlows.Functions.Cli;

/// <summary>
/// The <c>demo</c> verb: starts Azurite when development storage is configured and none is running,
/// generates sample customers, drops the CSV into <c>churn-incoming</c>, ingests it (bronze, validation,
/// silver or quarantine), tunes and trains a candidate, gates it, saves and promotes it, then loads the
/// production model back from blob storage and explains one prediction.
/// </summary>
public static class DemoCommand
{
    /// <summary>Runs the demo, writing progress to <paramref name="output"/>. Returns the process exit code.</summary>
    public static async Task<int> RunAsync(DemoOptions options, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var clock = Stopwatch.StartNew();
        await using var azurite = await StartAzuriteIfNeededAsync(options.ConnectionString, output, cancellationToken).ConfigureAwait(false);
        var account = StorageAccount.FromConnectionString(azurite?.ConnectionString ?? options.ConnectionString);
        var containers = new ChurnContainers(account);
        await containers.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);

        var blobName = $"customers-{DateTime.UtcNow:yyyyMMdd-HHmmss}-seed{options.Seed}.csv";
        var csv = SyntheticChurnGenerator.ToCsv(new SyntheticChurnOptions { Rows = options.Rows, Seed = options.Seed });
        await containers.Incoming.GetBlobClient(blobName).UploadAsync(BinaryData.FromString(csv), new BlobUploadOptions { ContentType = "text/csv" }, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"[{clock.Elapsed:mm\\:ss}] dropped {options.Rows:N0} customers into churn-incoming/{blobName}").ConfigureAwait(false);

        var ingestion = await new IngestionService(containers).IngestAsync(blobName, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"[{clock.Elapsed:mm\\:ss}] ingested: bronze/{ingestion.Sha256[..12]}…{(ingestion.AlreadyRecorded ? " (same bytes seen before)" : string.Empty)}; validation {(ingestion.Accepted ? "passed" : "FAILED")} → {ingestion.DatasetBlob}; report {ingestion.ReportBlob}").ConfigureAwait(false);
        if (!ingestion.Accepted)
        {
            foreach (var failure in ingestion.Report.Failures)
            {
                await output.WriteLineAsync($"    {failure.Expectation}: observed {failure.Observed}, expected {failure.Expected}").ConfigureAwait(false);
            }

            return 1;
        }

        var data = DatasetReader.Read(new StringReader(csv)).Dataset;
        var version = $"v{DateTime.UtcNow:yyyyMMddHHmmss}";
        await output.WriteLineAsync($"[{clock.Elapsed:mm\\:ss}] tuning the GBDT: {options.Trials} TPE trials with median pruning").ConfigureAwait(false);
        var training = new TrainingService(new TrainingOptions { Trials = options.Trials, Seed = options.Seed });
        var outcome = training.Train(data, version, new ModelLineage { DatasetSha256 = ingestion.Sha256, DatasetVersion = ingestion.Sha256[..12] }, line => output.WriteLine("    " + line));
        var metrics = outcome.Artifact.Metrics!;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed:mm\\:ss}] candidate {version}: test ROC-AUC {metrics.AreaUnderRocCurve:F4}, PR-AUC {metrics.AreaUnderPrecisionRecallCurve:F4}, precision {metrics.Precision:F3}, recall {metrics.Recall:F3} at threshold {outcome.Artifact.Threshold:F3}")).ConfigureAwait(false);
        foreach (var reason in outcome.Decision.Reasons)
        {
            await output.WriteLineAsync("    gate " + reason).ConfigureAwait(false);
        }

        var store = new ModelStore(containers.Models);
        await store.SaveAsync(outcome.Artifact, cancellationToken).ConfigureAwait(false);
        if (outcome.Decision.Promote)
        {
            await store.PromoteAsync(version, cancellationToken).ConfigureAwait(false);
        }

        var production = await store.GetProductionVersionAsync(cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"[{clock.Elapsed:mm\\:ss}] {(outcome.Decision.Promote ? $"promoted {version} to Production" : $"kept the champion ({production ?? "none yet"}); {version} saved for review")}").ConfigureAwait(false);
        if (production is not null)
        {
            await ExplainOneAsync(await store.LoadAsync(production, cancellationToken).ConfigureAwait(false), options.Seed, output).ConfigureAwait(false);
        }

        await output.WriteLineAsync($"[{clock.Elapsed:mm\\:ss}] done").ConfigureAwait(false);
        return 0;
    }

    private static async Task ExplainOneAsync(ModelArtifact model, int seed, TextWriter output)
    {
        var customer = SyntheticChurnGenerator.Generate(new SyntheticChurnOptions { Rows = 1, Seed = seed + 1, FirstCustomerNumber = 9_000_001 });
        var inputs = model.Pipeline.InputColumns.Select(c => customer.Columns[c][0]).ToArray();
        var features = new double[model.Pipeline.Features.Count];
        model.Pipeline.TransformRow(inputs, features);
        var probability = model.Model.PredictProbability(features);
        var reasons = new TreeShap(model.Model).TopReasons(features, 3);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"prediction from Production {model.Version} (loaded from churn-models) for {customer.Ids[0]}: churn probability {probability:F3}, will churn: {(probability >= model.Threshold ? "yes" : "no")}")).ConfigureAwait(false);
        foreach (var r in reasons)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"    {r.Name} = {r.Value:G4} → {(r.Contribution >= 0 ? "+" : string.Empty)}{r.Contribution:F3} (log-odds)")).ConfigureAwait(false);
        }
    }

    private static async Task<AzuriteProcess?> StartAzuriteIfNeededAsync(string connectionString, TextWriter output, CancellationToken cancellationToken)
    {
        var parsed = StorageConnectionString.Parse(connectionString);
        var local = parsed.BlobEndpoint.IsLoopback && parsed.Credential?.AccountName == StorageConnectionString.DevelopmentAccountName;
        if (!local || await AzuriteProcess.IsListeningAsync(parsed.BlobEndpoint.Port, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        await output.WriteLineAsync("starting Azurite (pinned in package.json; installed on first use)…").ConfigureAwait(false);
        var root = AzuriteInstaller.FindToolRoot();
        return await AzuriteProcess.StartAsync(new AzuriteOptions
        {
            ToolRoot = root,
            DataDirectory = Path.Combine(root ?? Path.GetTempPath(), ".azurite"),
            BlobPort = parsed.BlobEndpoint.Port,
            QueuePort = parsed.QueueEndpoint.Port,
            TablePort = parsed.TableEndpoint.Port,
        }, cancellationToken).ConfigureAwait(false);
    }
}
