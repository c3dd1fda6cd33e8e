using ChurnFlows.Durable.Worker;
using ChurnFlows.Lifecycle.Activities;

namespace ChurnFlows.Lifecycle.Orchestration;

/// <summary>Registers the lifecycle's orchestrators and activities with a durable worker.</summary>
public static class LifecycleRegistration
{
    /// <summary>Adds every lifecycle orchestrator and activity, the activities bound to <paramref name="services"/>.</summary>
    public static DurableTaskRegistry AddLifecycle(this DurableTaskRegistry registry, LifecycleServices services)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(services);
        return registry
            .AddOrchestrator<IngestOrchestrator>()
            .AddOrchestrator<RetrainOrchestrator>()
            .AddOrchestrator<TuneOrchestrator>()
            .AddOrchestrator<DriftMonitorOrchestrator>()
            .AddActivity(nameof(IngestDatasetActivity), () => new IngestDatasetActivity(services))
            .AddActivity(nameof(StartRetrainActivity), () => new StartRetrainActivity(services))
            .AddActivity(nameof(RecordRunStepActivity), () => new RecordRunStepActivity(services))
            .AddActivity(nameof(PrepareGoldActivity), () => new PrepareGoldActivity(services))
            .AddActivity(nameof(SuggestTrialsActivity), () => new SuggestTrialsActivity(services))
            .AddActivity(nameof(RunTrialActivity), () => new RunTrialActivity(services))
            .AddActivity(nameof(TrainCandidateActivity), () => new TrainCandidateActivity(services))
            .AddActivity(nameof(EvaluateModelsActivity), () => new EvaluateModelsActivity(services))
            .AddActivity(nameof(ApplyDecisionActivity), () => new ApplyDecisionActivity(services))
            .AddActivity(nameof(CheckDriftActivity), () => new CheckDriftActivity(services));
    }
}
