using System.Runtime.CompilerServices;
using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Tuning.Samplers;

/// <summary>The below/above split (Optuna 3.1's <c>_get_observation_pairs</c> and <c>_split_observation_pairs</c>).</summary>
public sealed partial class TpeSampler
{
    /// <summary>
    /// Ranks every finished trial (completed by value, then pruned by deepest step and last value, NaN
    /// worst), puts the best γ(n) below and the rest above, where n counts all finished trials; only then
    /// drops trials without these parameters (conditional spaces). Running trials go above (constant liar).
    /// Both sides come back as per-dimension columns in working space, oldest trial first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal (double[][] Below, double[][] Above) Split(StudyState study, int current, string[] names, ParameterDistribution[] space)
    {
        var sign = study.Direction == StudyDirection.Minimize ? 1.0 : -1.0;
        var ranked = new List<RankedTrial>(study.Trials.Count);
        var running = new List<FrozenTrial>();
        foreach (var t in study.Trials)
        {
            if (t.Number == current)
            {
                continue;
            }

            switch (t.State)
            {
                case TrialState.Complete when t.Value is { } value:
                    ranked.Add(new(double.NegativeInfinity, sign * value, t));
                    break;
                case TrialState.Pruned when t.LastStep is { } step:
                    var last = t.IntermediateValues[step];
                    ranked.Add(new(-step, double.IsNaN(last) ? double.PositiveInfinity : sign * last, t));
                    break;
                case TrialState.Pruned:
                    ranked.Add(new(1, 0, t));
                    break;
                case TrialState.Running when _options.ConstantLiar:
                    running.Add(t);
                    break;
                default:
                    break;
            }
        }

        ranked.Sort(static (a, b) => a.Step != b.Step ? a.Step.CompareTo(b.Step) : a.Score != b.Score ? a.Score.CompareTo(b.Score) : a.Trial.Number.CompareTo(b.Trial.Number));
        var nBelow = TpeDefaults.Gamma(ranked.Count);
        var below = new List<FrozenTrial>(nBelow);
        var above = new List<FrozenTrial>(ranked.Count - nBelow + running.Count);
        for (var i = 0; i < ranked.Count; i++)
        {
            if (HasAll(ranked[i].Trial, names, space))
            {
                (i < nBelow ? below : above).Add(ranked[i].Trial);
            }
        }

        above.AddRange(running.Where(t => HasAll(t, names, space)));
        return (Columns(below, names, space), Columns(above, names, space));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool HasAll(FrozenTrial trial, string[] names, ParameterDistribution[] space)
    {
        for (var d = 0; d < names.Length; d++)
        {
            if (!trial.Params.ContainsKey(names[d]) || !trial.Distributions.TryGetValue(names[d], out var distribution) || !(ReferenceEquals(distribution, space[d]) || distribution.Equals(space[d])))
            {
                return false;
            }
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[][] Columns(List<FrozenTrial> trials, string[] names, ParameterDistribution[] space)
    {
        trials.Sort(static (a, b) => a.Number.CompareTo(b.Number));
        var columns = new double[names.Length][];
        for (var d = 0; d < names.Length; d++)
        {
            columns[d] = new double[trials.Count];
            var log = space[d] is FloatDistribution { Log: true } or IntDistribution { Log: true };
            for (var i = 0; i < trials.Count; i++)
            {
                var value = trials[i].Params[names[d]];
                columns[d][i] = log ? Math.Log(value) : value;
            }
        }

        return columns;
    }

    private readonly record struct RankedTrial(double Step, double Score, FrozenTrial Trial);
}
