using Azure.Data.Tables;
using Azure.Storage.Blobs;
using ChurnFlows.Durable;
using ChurnFlows.Durable.Client;
using ChurnFlows.Lifecycle.Datasets;
using ChurnFlows.Lifecycle.Ingestion;
using ChurnFlows.Lifecycle.Monitoring;
using ChurnFlows.Lifecycle.Orchestration;
using ChurnFlows.Lifecycle.Registry;
using ChurnFlows.Lifecycle.Runs;
using ChurnFlows.Lifecycle.Training;
using ChurnFlows.Lifecycle.Tuning;
using ChurnFlows.ML.Schema;

namespace ChurnFlows.Lifecycle;

/// <summary>
/// The lifecycle's services over one storage account: what activities call and what the HTTP API and
/// triggers use. Thread-safe; one per process.
/// </summary>
public sealed class LifecycleServices
{
    /// <summary>The instance id of the singleton retrain: at most one retrain runs at a time.</summary>
    public const string RetrainInstanceId = "churn-retrain";

    /// <summary>
    /// Creates the services over the storage account that <paramref name="blobs"/> and <paramref name="tables"/> serve,
    /// starting orchestrations through <paramref name="client"/>.
    /// </summary>
    public LifecycleServices(BlobServiceClient blobs, TableServiceClient tables, DurableTaskClient client, LifecycleOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(tables);
        Client = client ?? throw new ArgumentNullException(nameof(client));
        Options = options ?? new LifecycleOptions();
        Time = timeProvider ?? TimeProvider.System;
        Containers = new ChurnContainers(blobs);
        Tables = new ChurnTables(tables);
        Models = new ModelStore(Containers.Models);
        Registry = new ModelRegistry(Tables.Models, Models, Time);
        Datasets = new DatasetCatalog(Tables.Datasets);
        Runs = new RunLog(Tables.Runs);
        Trials = new TrialStore(Tables.Trials);
        Schema = Options.LoadSchema();
        Gold = new GoldDatasetStore(Containers, Schema);
        Objectives = new TrialObjectives(Gold);
        Ingestion = new IngestionService(Containers, Schema);
        Predictions = new PredictionLogStore(Containers.Predictions);
        Drift = new DriftMonitor(this);
    }

    /// <summary>Gets the durable client.</summary>
    public DurableTaskClient Client { get; }

    /// <summary>Gets the settings.</summary>
    public LifecycleOptions Options { get; }

    /// <summary>Gets the clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Gets the schema ingested CSVs are read with (<see cref="LifecycleOptions.SchemaPath"/>, else the standard churn schema).</summary>
    public DatasetSchema Schema { get; }

    /// <summary>Gets the blob containers.</summary>
    public ChurnContainers Containers { get; }

    /// <summary>Gets the tables.</summary>
    public ChurnTables Tables { get; }

    /// <summary>Gets the model artifacts and the serving pointer.</summary>
    public ModelStore Models { get; }

    /// <summary>Gets the model registry.</summary>
    public ModelRegistry Registry { get; }

    /// <summary>Gets the dataset versions.</summary>
    public DatasetCatalog Datasets { get; }

    /// <summary>Gets the run records.</summary>
    public RunLog Runs { get; }

    /// <summary>Gets the tuning studies.</summary>
    public TrialStore Trials { get; }

    /// <summary>Gets silver loading and gold preparation.</summary>
    public GoldDatasetStore Gold { get; }

    /// <summary>Gets the tuning objectives of the prepared datasets (loaded and binned once per process).</summary>
    public TrialObjectives Objectives { get; }

    /// <summary>Gets CSV ingestion.</summary>
    public IngestionService Ingestion { get; }

    /// <summary>Gets the prediction and outcome logs.</summary>
    public PredictionLogStore Predictions { get; }

    /// <summary>Gets the drift monitor.</summary>
    public DriftMonitor Drift { get; }

    /// <summary>Creates every container and table that is missing.</summary>
    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        await Containers.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await Tables.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The ingest instance for one content of one incoming blob: the blob trigger and the upload API
    /// derive the same id, so a blob is ingested once however many of them notice it.
    /// </summary>
    public static string IngestInstanceId(string blobName, ReadOnlySpan<byte> content)
    {
        var key = System.Text.Encoding.UTF8.GetBytes(blobName + "\n" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)));
        return "ingest-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(key))[..24];
    }

    /// <summary>
    /// Starts ingesting <paramref name="blobName"/> whose bytes are <paramref name="content"/>; an instance
    /// already running or completed for the same name and bytes is reused. Returns the instance id.
    /// </summary>
    public async Task<string> StartIngestAsync(string blobName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var id = IngestInstanceId(blobName, content.Span);
        if (await Client.GetInstanceAsync(id, cancellationToken).ConfigureAwait(false) is { } existing && (existing.IsRunning || existing.RuntimeStatus == OrchestrationRuntimeStatus.Completed))
        {
            return id;
        }

        await Client.ScheduleNewOrchestrationInstanceAsync(nameof(IngestOrchestrator), new IngestRequest(blobName, Options.RetrainOnNewData), new StartOrchestrationOptions(id) { Dedupe = DedupeMode.ReuseExisting }, cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>
    /// Starts the singleton retrain on <paramref name="request"/>'s dataset (the newest accepted one by
    /// default). Refused, not queued, while another retrain runs: the result names the running one.
    /// </summary>
    public async Task<StartRetrainResult> StartRetrainAsync(StartRetrainRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var dataset = request.DatasetSha256 is { } sha ? await Datasets.GetAsync(sha, cancellationToken).ConfigureAwait(false) : await Datasets.GetLatestAcceptedAsync(cancellationToken).ConfigureAwait(false);
        if (dataset is not { Accepted: true })
        {
            return new StartRetrainResult(false, null, request.DatasetSha256 is null ? "No dataset has passed validation yet, so there is nothing to train on." : $"Dataset '{request.DatasetSha256}' is unknown or was quarantined.");
        }

        var now = Time.GetUtcNow();
        var runId = $"retrain-{now:yyyyMMdd-HHmmss}-{Guid.NewGuid():N}"[..31];
        var settings = request.RequireApproval is { } approval ? Options.Retrain with { RequireApproval = approval } : Options.Retrain;
        try
        {
            await Client.ScheduleNewOrchestrationInstanceAsync(nameof(RetrainOrchestrator), new RetrainRequest(runId, request.Reason, dataset.Sha256, settings), new StartOrchestrationOptions(RetrainInstanceId), cancellationToken).ConfigureAwait(false);

            // The run is listed from the moment it is accepted (the orchestration rewrites this same first step).
            await Runs.RecordAsync(new RunStep(runId, "retrain", 0, "started", "running", request.Reason, now.UtcDateTime, 0), cancellationToken).ConfigureAwait(false);
            return new StartRetrainResult(true, runId, $"Retrain {runId} started on dataset {dataset.Sha256[..12]}: {request.Reason}");
        }
        catch (OrchestrationAlreadyExistsException)
        {
            var running = await Client.GetInstanceAsync(RetrainInstanceId, cancellationToken).ConfigureAwait(false);
            var runningId = running?.ReadInputAs<RetrainRequest>()?.RunId;
            return new StartRetrainResult(false, runningId, $"A retrain is already running ({runningId ?? RetrainInstanceId}); this request ({request.Reason}) was not started.");
        }
    }
}
