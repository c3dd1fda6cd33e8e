using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Tuning.Reports;

/// <summary>
/// Parameter importance by first-order variance decomposition (an ANOVA main-effect estimate, the
/// quantity fANOVA reports for single parameters): each parameter's completed trials are grouped into
/// up to 8 quantile bins (one per category); importance is the variance of the bin means of the
/// objective, weighted by bin size, over the total variance; the shares are normalized to sum to 1.
/// </summary>
public static class ParamImportanceEvaluator
{
    /// <summary>Returns each parameter's importance (empty with fewer than 4 completed trials).</summary>
    public static IReadOnlyDictionary<string, double> Evaluate(StudyState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var done = state.Trials.Where(t => t.State == TrialState.Complete && t.Value is not null && double.IsFinite(t.Value.Value)).ToList();
        if (done.Count < 4)
        {
            return new Dictionary<string, double>();
        }

        var mean = done.Average(t => t.Value!.Value);
        var total = done.Sum(t => Math.Pow(t.Value!.Value - mean, 2));
        var raw = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var name in done.SelectMany(t => t.Params.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            var withParam = done.Where(t => t.Params.ContainsKey(name)).OrderBy(t => t.Params[name]).ToList();
            var categorical = withParam[0].Distributions[name] is CategoricalDistribution;
            var groups = categorical
                ? withParam.GroupBy(t => t.Params[name]).Select(g => g.ToList())
                : withParam.Select((t, i) => (t, bin: i * Math.Min(8, withParam.Count) / withParam.Count)).GroupBy(x => x.bin).Select(g => g.Select(x => x.t).ToList());
            raw[name] = total <= 0 ? 0 : groups.Sum(g => g.Count * Math.Pow(g.Average(t => t.Value!.Value) - mean, 2)) / total;
        }

        var sum = raw.Values.Sum();
        return raw.ToDictionary(p => p.Key, p => sum > 0 ? p.Value / sum : 1.0 / raw.Count, StringComparer.Ordinal);
    }
}
