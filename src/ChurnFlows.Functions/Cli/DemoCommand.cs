using System.Diagnostics;
using System.Globalization;
using Azure.Storage.Blobs.Models;
using ChurnFlows.Durable;
using ChurnFlows.Functions.Hosting;
using ChurnFlows.Lifecycle;
using ChurnFlows.Lifecycle.Orchestration;
using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Explain;
using ChurnFlows.ML.Synthetic;

namespace ChurnFlows.Functions.Cli;

/// <summary>
/// The <c>demo</c> verb: the whole lifecycle through the durable engine. Starts Azurite when development
/// storage is configured and none is running, starts a durable worker on the task hub, drops synthetic
/// customers into <c>churn-incoming</c>, and follows the ingest orchestration and the retrain it starts
/// (gold split, TPE trials fanned out as activities, final training, champion comparison, gate,
/// promotion) step by step; then loads the Production model back from blob storage and explains one
/// prediction. Exit code 0 when a Production model exists at the end.
/// </summary>
public static class DemoCommand
{
    /// <summary>Runs the demo, writing progress to <paramref name="output"/>. Returns the process exit code.</summary>
    public static async Task<int> RunAsync(DemoOptions options, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var clock = Stopwatch.StartNew();
        void Say(string line) => output.WriteLine($"[{clock.Elapsed:mm\\:ss}] {line}");
        await using var azurite = await DevelopmentStorage.StartIfNeededAsync(options.ConnectionString, output, cancellationToken).ConfigureAwait(false);
        var settings = new ChurnFlowsSettings { Storage = StorageConnectionSetting.DevelopmentStorage with { ConnectionString = azurite?.ConnectionString ?? options.ConnectionString }, TaskHub = options.TaskHub };
        var storage = settings.Storage.CreateClients();
        var hub = TaskHubFactory.Create(storage, settings);
        var lifecycleOptions = new LifecycleOptions { Retrain = new RetrainSettings { Trials = options.Trials, Seed = options.Seed, BatchSize = Math.Max(2, Environment.ProcessorCount) } };
        await using var runtime = await LifecycleRuntime.StartAsync(storage.Blobs, storage.Tables, hub, lifecycleOptions, cancellationToken: cancellationToken).ConfigureAwait(false);
        var lifecycle = runtime.Services;
        Say($"durable worker started on task hub '{options.TaskHub}' ({hub.GetType().Name})");

        var blobName = $"customers-{DateTime.UtcNow:yyyyMMdd-HHmmss}-seed{options.Seed}.csv";
        var csv = SyntheticChurnGenerator.ToCsv(new SyntheticChurnOptions { Rows = options.Rows, Seed = options.Seed });
        await lifecycle.Containers.Incoming.GetBlobClient(blobName).UploadAsync(BinaryData.FromString(csv), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/csv" } }, cancellationToken).ConfigureAwait(false);
        Say($"dropped {options.Rows:N0} customers into churn-incoming/{blobName}");

        var follower = new RunFollower(lifecycle.Runs, Say);
        var ingestId = await lifecycle.StartIngestAsync(blobName, System.Text.Encoding.UTF8.GetBytes(csv), cancellationToken).ConfigureAwait(false);
        var ingest = await follower.FollowAsync(ingestId, () => lifecycle.Client.WaitForInstanceCompletionAsync(ingestId, cancellationToken), cancellationToken).ConfigureAwait(false);
        var ingested = ingest.ReadOutputAs<IngestOutcome>();
        if (ingest.RuntimeStatus != OrchestrationRuntimeStatus.Completed || ingested is not { Accepted: true } || ingested.Retrain?.RunId is not { } runId)
        {
            Say($"ingestion ended {ingest.RuntimeStatus}: {ingest.FailureDetails?.ErrorMessage ?? ingested?.Retrain?.Message ?? string.Join("; ", ingested?.Failures ?? [])}");
            return 1;
        }

        var retrain = await follower.FollowAsync(runId, () => lifecycle.Client.WaitForInstanceCompletionAsync(LifecycleServices.RetrainInstanceId, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (retrain.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            Say($"retrain {runId} ended {retrain.RuntimeStatus}: {retrain.FailureDetails?.ErrorMessage}");
            return 1;
        }

        var outcome = retrain.ReadOutputAs<RetrainOutcome>()!;
        var m = outcome.Candidate;
        Say(Text($"candidate {outcome.CandidateVersion}: holdout ROC-AUC {m.AreaUnderRocCurve:F4}, PR-AUC {m.AreaUnderPrecisionRecallCurve:F4}, precision {m.Precision:F3}, recall {m.Recall:F3} at threshold {m.Threshold:F3}"));
        foreach (var reason in outcome.Reasons)
        {
            await output.WriteLineAsync("    gate " + reason).ConfigureAwait(false);
        }

        Say(outcome.Promoted ? $"promoted {outcome.CandidateVersion} to Production" : $"kept the champion ({outcome.ProductionVersion ?? "none yet"}); {outcome.CandidateVersion} saved for review");
        if (outcome.ProductionVersion is { } production)
        {
            ExplainOne(await lifecycle.Models.LoadAsync(production, cancellationToken).ConfigureAwait(false), options.Seed, output);
        }

        Say("done");
        return outcome.ProductionVersion is null ? 1 : 0;
    }

    private static void ExplainOne(ModelArtifact model, int seed, TextWriter output)
    {
        var customer = SyntheticChurnGenerator.Generate(new SyntheticChurnOptions { Rows = 1, Seed = seed + 1, FirstCustomerNumber = 9_000_001 });
        var features = new double[model.Pipeline.Features.Count];
        model.Pipeline.Transform(customer).CopyRow(0, features);
        var probability = model.Model.PredictProbability(features);
        output.WriteLine(Text($"prediction from Production {model.Version} (loaded from churn-models) for {customer.Ids[0]}: churn probability {probability:F3}, will churn: {(probability >= model.Threshold ? "yes" : "no")}"));
        foreach (var r in new TreeShap(model.Model).TopReasons(features, 3))
        {
            output.WriteLine(Text($"    {r.Name} = {r.Value:G4} → {(r.Contribution >= 0 ? "+" : string.Empty)}{r.Contribution:F3} (log-odds)"));
        }
    }

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
