using ChurnFlows.Lifecycle.Registry;
using ChurnFlows.Lifecycle.Training;

namespace ChurnFlows.Lifecycle.Orchestration;

/// <summary>Input of <see cref="RetrainOrchestrator"/>.</summary>
/// <param name="RunId">The run's id (names the study, the runs rows and the candidate's lineage).</param>
/// <param name="Reason">Why it started.</param>
/// <param name="DatasetSha256">The silver dataset to train on.</param>
/// <param name="Settings">Tuning, training and gate settings.</param>
public sealed record RetrainRequest(string RunId, string Reason, string DatasetSha256, RetrainSettings Settings);

/// <summary>How a retrain tunes, trains and gates.</summary>
public sealed record RetrainSettings
{
    /// <summary>Gets the tuning budget in trials.</summary>
    public int Trials { get; init; } = 20;

    /// <summary>Gets how many trials run in parallel (the first wave's size; each finished trial is then replaced by a new one).</summary>
    public int BatchSize { get; init; } = 4;

    /// <summary>Gets the seed of the split, the study and the trainer.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Gets the tuning time limit in minutes (checked between waves).</summary>
    public double MaxTuningMinutes { get; init; } = 30;

    /// <summary>Gets how many waves' worth of finished trials (this × <see cref="BatchSize"/>) without improvement stop tuning (0: never).</summary>
    public int PlateauWaves { get; init; } = 3;

    /// <summary>Gets the improvement that counts (validation ROC-AUC).</summary>
    public double PlateauTolerance { get; init; } = 1e-4;

    /// <summary>Gets the most boosting rounds per model.</summary>
    public int MaximumIterations { get; init; } = 500;

    /// <summary>Gets the early-stopping patience.</summary>
    public int EarlyStoppingRounds { get; init; } = 30;

    /// <summary>Gets whether a person must approve a promotion (external event <c>approval</c>).</summary>
    public bool RequireApproval { get; init; }

    /// <summary>Gets how long to wait for approval before rejecting, in hours.</summary>
    public double ApprovalTimeoutHours { get; init; } = 24;

    /// <summary>Gets the absolute gates.</summary>
    public PromotionThresholds Thresholds { get; init; } = new();

    /// <summary>Gets how much ROC-AUC the candidate may lose against the champion on the same holdout.</summary>
    public double MaximumRegression { get; init; } = 0.002;

    /// <summary>The training settings a retrain's activities give <see cref="TrainingService"/>.</summary>
    public TrainingOptions ToTrainingOptions() => new()
    {
        Trials = Trials,
        Seed = Seed,
        MaximumIterations = MaximumIterations,
        EarlyStoppingRounds = EarlyStoppingRounds,
        Thresholds = Thresholds,
    };
}

/// <summary>How a retrain ended.</summary>
/// <param name="RunId">The run.</param>
/// <param name="CandidateVersion">The trained candidate.</param>
/// <param name="Promoted">Whether it became Production.</param>
/// <param name="ProductionVersion">The Production version afterwards.</param>
/// <param name="Reasons">The gate's reasons (and approval's).</param>
/// <param name="Candidate">The candidate's holdout metrics.</param>
/// <param name="Champion">The champion's metrics on the same holdout, if there was one.</param>
/// <param name="Tuning">The study's outcome.</param>
public sealed record RetrainOutcome(string RunId, string CandidateVersion, bool Promoted, string? ProductionVersion, IReadOnlyList<string> Reasons, ModelMetrics Candidate, ModelMetrics? Champion, TuneOutcome Tuning);

/// <summary>Input of <see cref="TuneOrchestrator"/>.</summary>
/// <param name="Study">The study name (a partition of <c>ChurnTrials</c>).</param>
/// <param name="Gold">The prepared dataset.</param>
/// <param name="Settings">Budget, batch size, limits.</param>
public sealed record TuneRequest(string Study, GoldReference Gold, RetrainSettings Settings);

/// <summary>How tuning ended.</summary>
/// <param name="Study">The study.</param>
/// <param name="BestTrial">The best trial's number.</param>
/// <param name="BestValue">Its validation ROC-AUC.</param>
/// <param name="Completed">Trials completed.</param>
/// <param name="Pruned">Trials pruned.</param>
/// <param name="Failed">Trials failed.</param>
/// <param name="Waves">Times the sampler was asked: once for the first wave, then once per trial that replaced a finished one.</param>
/// <param name="StopReason">Why it stopped: budget, time limit or plateau.</param>
public sealed record TuneOutcome(string Study, int BestTrial, double BestValue, int Completed, int Pruned, int Failed, int Waves, string StopReason);

/// <summary>A wave's request for trials.</summary>
/// <param name="Study">The study.</param>
/// <param name="Wave">The wave number (its trials are asked once, however often the activity runs).</param>
/// <param name="Count">How many trials.</param>
/// <param name="Seed">The study's seed.</param>
public sealed record SuggestTrialsRequest(string Study, int Wave, int Count, int Seed);

/// <summary>One trial to run.</summary>
/// <param name="Study">The study.</param>
/// <param name="Number">The trial number.</param>
/// <param name="Wave">Its wave.</param>
/// <param name="Gold">The prepared dataset.</param>
/// <param name="Settings">Training settings.</param>
public sealed record TrialAssignment(string Study, int Number, int Wave, GoldReference Gold, RetrainSettings Settings);

/// <summary>A finished trial.</summary>
/// <param name="Number">The trial number.</param>
/// <param name="State">Complete, Pruned or Fail.</param>
/// <param name="Value">Its validation ROC-AUC (best so far for pruned trials), if any.</param>
public sealed record TrialOutcome(int Number, string State, double? Value);

/// <summary>Input of the final training.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Version">The candidate's version.</param>
/// <param name="Study">The finished study.</param>
/// <param name="Gold">The prepared dataset.</param>
/// <param name="Settings">Training settings.</param>
public sealed record CandidateRequest(string RunId, string Version, string Study, GoldReference Gold, RetrainSettings Settings);

/// <summary>Input of the champion/candidate evaluation.</summary>
/// <param name="Gold">The prepared dataset (its holdout rows are used).</param>
/// <param name="CandidateVersion">The candidate.</param>
public sealed record EvaluationRequest(GoldReference Gold, string CandidateVersion);

/// <summary>Candidate and champion on the same holdout.</summary>
/// <param name="Candidate">The candidate's metrics.</param>
/// <param name="ChampionVersion">The Production version, if any.</param>
/// <param name="Champion">Its metrics, if any (none when it was trained on columns this dataset lacks).</param>
public sealed record EvaluationOutcome(ModelMetrics Candidate, string? ChampionVersion, ModelMetrics? Champion);

/// <summary>A person's answer to a pending promotion (the <c>approval</c> event's payload).</summary>
/// <param name="Approved">Approve or reject.</param>
/// <param name="By">Who.</param>
/// <param name="Comment">Why.</param>
public sealed record ApprovalDecision(bool Approved, string? By = null, string? Comment = null);

/// <summary>The gate's verdict to record on a version.</summary>
/// <param name="Version">The candidate.</param>
/// <param name="Promote">Whether to promote it.</param>
/// <param name="Reasons">The reasons.</param>
/// <param name="RunId">The run.</param>
public sealed record DecisionRequest(string Version, bool Promote, IReadOnlyList<string> Reasons, string RunId);
