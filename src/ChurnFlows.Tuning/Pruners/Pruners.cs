using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Tuning.Pruners;

/// <summary>Decides whether a running trial should stop early, from its and other trials' intermediate values.</summary>
public interface IPruner
{
    /// <summary>Returns whether <paramref name="trial"/> should be pruned now (it may record rung values in the state).</summary>
    bool Prune(StudyState study, FrozenTrial trial);
}

/// <summary>Never prunes.</summary>
public sealed class NopPruner : IPruner
{
    /// <inheritdoc />
    public bool Prune(StudyState study, FrozenTrial trial) => false;
}

/// <summary>
/// Optuna's median rule: once <see cref="NumberOfStartupTrials"/> trials completed, prune a trial whose
/// best intermediate value so far is worse than the median of the completed trials' values at the same step.
/// </summary>
/// <param name="NumberOfStartupTrials">Completed trials needed before pruning (5).</param>
/// <param name="NumberOfWarmupSteps">Steps before which a trial is never pruned (0).</param>
/// <param name="IntervalSteps">Prune only every this many steps after warm-up (1).</param>
/// <param name="NumberOfMinimumTrials">Completed trials that must have reported the step (1).</param>
public sealed record MedianPruner(int NumberOfStartupTrials = 5, int NumberOfWarmupSteps = 0, int IntervalSteps = 1, int NumberOfMinimumTrials = 1) : IPruner
{
    /// <inheritdoc />
    public bool Prune(StudyState study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        if (trial.LastStep is not { } step || step < NumberOfWarmupSteps || (step - NumberOfWarmupSteps) % Math.Max(1, IntervalSteps) != 0)
        {
            return false;
        }

        var completed = study.Trials.Where(t => t.State == TrialState.Complete).ToList();
        if (completed.Count < NumberOfStartupTrials)
        {
            return false;
        }

        var mine = trial.IntermediateValues.Where(p => p.Key <= step).Select(p => p.Value).ToList();
        if (mine.Any(double.IsNaN))
        {
            return true;
        }

        var best = study.Direction == StudyDirection.Minimize ? mine.Min() : mine.Max();
        var others = completed.Where(t => t.IntermediateValues.ContainsKey(step)).Select(t => t.IntermediateValues[step]).Where(v => !double.IsNaN(v)).Order().ToList();
        if (others.Count < NumberOfMinimumTrials || others.Count == 0)
        {
            return false;
        }

        var median = Median(others);
        return study.Direction == StudyDirection.Minimize ? best > median : best < median;
    }

    private static double Median(List<double> sorted)
    {
        var position = 0.5 * (sorted.Count - 1);
        var low = (int)Math.Floor(position);
        var high = (int)Math.Ceiling(position);
        return sorted[low] + ((sorted[high] - sorted[low]) * (position - low));
    }
}

/// <summary>
/// Asynchronous successive halving (ASHA), Optuna's defaults: rung r ends at step
/// MinimumResource·η^(MinimumEarlyStoppingRate + r); at each rung a trial continues only if its value is
/// among the best ⌊k/η⌋ of the k values recorded there so far (the best one when k &lt; η).
/// </summary>
/// <param name="MinimumResource">Steps of the first rung; null: max(1, longest completed trial's last step / 100).</param>
/// <param name="ReductionFactor">η (4).</param>
/// <param name="MinimumEarlyStoppingRate">s (0).</param>
public sealed record SuccessiveHalvingPruner(int? MinimumResource = null, int ReductionFactor = 4, int MinimumEarlyStoppingRate = 0) : IPruner
{
    /// <inheritdoc />
    public bool Prune(StudyState study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        if (trial.LastStep is not { } step)
        {
            return false;
        }

        var resource = MinimumResource ?? AutoResource(study);
        if (resource is null)
        {
            return false;
        }

        var value = trial.IntermediateValues[step];
        for (var rung = 0; ; rung++)
        {
            var rungStep = resource.Value * Math.Pow(ReductionFactor, MinimumEarlyStoppingRate + rung);
            if (step < rungStep)
            {
                return false;
            }

            if (trial.RungValues.ContainsKey(rung))
            {
                continue;
            }

            trial.RungValues[rung] = value;
            var competing = study.Trials.Where(t => t.RungValues.ContainsKey(rung)).Select(t => t.RungValues[rung]).ToList();
            if (!Promotable(value, competing, study.Direction))
            {
                return true;
            }
        }
    }

    private bool Promotable(double value, List<double> competing, StudyDirection direction)
    {
        if (double.IsNaN(value))
        {
            return false;
        }

        var ordered = direction == StudyDirection.Minimize ? competing.Order().ToList() : competing.OrderDescending().ToList();
        var index = Math.Max((competing.Count / ReductionFactor) - 1, 0);
        return direction == StudyDirection.Minimize ? value <= ordered[index] : value >= ordered[index];
    }

    private static int? AutoResource(StudyState study)
    {
        var steps = study.Trials.Where(t => t.State == TrialState.Complete && t.LastStep is not null).Select(t => t.LastStep!.Value).ToList();
        return steps.Count == 0 ? null : Math.Max(1, steps.Max() / 100);
    }
}
