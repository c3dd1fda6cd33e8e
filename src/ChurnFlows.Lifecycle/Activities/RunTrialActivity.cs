using ChurnFlows.Durable;
using ChurnFlows.Lifecycle.Orchestration;
using ChurnFlows.Tuning.Pruners;
using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Lifecycle.Activities;

/// <summary>
/// Trains the GBDT with one trial's parameters on the gold dataset, reporting validation ROC-AUC every
/// round to the median pruner with Optuna's defaults (5 start-up trials, no warm-up; its reference is every
/// trial the study has finished when this one starts), and stores the finished trial. A trial already
/// finished is not run again.
/// </summary>
public sealed class RunTrialActivity(LifecycleServices services) : TaskActivity<TrialAssignment, TrialOutcome>
{
    /// <inheritdoc />
    public override async Task<TrialOutcome> RunAsync(TaskActivityContext context, TrialAssignment input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var (state, _) = await services.Trials.LoadAsync(input.Study, StudyDirection.Maximize, input.Settings.Seed, context.CancellationToken).ConfigureAwait(false);
        var stored = state.Trials[input.Number];
        if (stored.State != TrialState.Running)
        {
            return new TrialOutcome(stored.Number, stored.State.ToString(), stored.Value);
        }

        var objective = await services.Objectives.GetAsync(input.Gold, input.Settings, Math.Max(1, Environment.ProcessorCount / Math.Max(1, input.Settings.BatchSize)), context.CancellationToken).ConfigureAwait(false);
        var study = new Study(state, pruner: new MedianPruner());
        double? value = null;
        try
        {
            var result = objective.Run(study.GetTrial(input.Number));
            value = result.AreaUnderRocCurve;
            if (result.Pruned)
            {
                study.Tell(input.Number, TrialState.Pruned);
            }
            else
            {
                study.Tell(input.Number, result.AreaUnderRocCurve);
                services.Objectives.OfferCompletedTrial(input.Study, input.Number, result.AreaUnderRocCurve, result.Model);
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
        {
            study.Tell(input.Number, TrialState.Fail);
        }

        var finished = state.Trials[input.Number];
        await services.Trials.SaveAsync(input.Study, finished, input.Wave, context.CancellationToken).ConfigureAwait(false);
        return new TrialOutcome(finished.Number, finished.State.ToString(), finished.Value ?? value);
    }
}
