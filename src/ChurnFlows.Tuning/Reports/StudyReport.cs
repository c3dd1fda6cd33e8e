using System.Globalization;
using System.Text;
using System.Text.Json;
using ChurnFlows.Tuning.Studies;

namespace ChurnFlows.Tuning.Reports;

/// <summary>One row of the trials table.</summary>
/// <param name="Number">The trial number.</param>
/// <param name="State">Its state.</param>
/// <param name="Value">Its value, if complete.</param>
/// <param name="DurationSeconds">Run time, if finished.</param>
/// <param name="Params">Parameters as the objective saw them.</param>
/// <param name="Intermediate">Intermediate values by step.</param>
public sealed record TrialRow(int Number, string State, double? Value, double? DurationSeconds, IReadOnlyDictionary<string, object> Params, IReadOnlyDictionary<int, double> Intermediate);

/// <summary>A study summarized for people (CSV) and dashboards (JSON): trials, best-so-far history, parameter importance.</summary>
/// <param name="Name">The study name.</param>
/// <param name="Direction">Minimize or Maximize.</param>
/// <param name="Trials">Every trial.</param>
/// <param name="BestSoFar">The best value after each completed trial, in trial order.</param>
/// <param name="ParamImportance">Each parameter's share of explained variance (sums to 1).</param>
public sealed record StudyReport(string Name, string Direction, IReadOnlyList<TrialRow> Trials, IReadOnlyList<double> BestSoFar, IReadOnlyDictionary<string, double> ParamImportance)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Builds the report of a study state.</summary>
    public static StudyReport From(StudyState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var rows = state.Trials.Select(t => new TrialRow(t.Number, t.State.ToString(), t.Value, (t.Completed - t.Started)?.TotalSeconds, t.ExternalParams, t.IntermediateValues)).ToList();
        var history = new List<double>();
        double? best = null;
        foreach (var t in state.Trials.Where(t => t.State == TrialState.Complete && t.Value is not null))
        {
            best = best is null || state.IsBetter(t.Value!.Value, best.Value) ? t.Value : best;
            history.Add(best!.Value);
        }

        return new StudyReport(state.Name, state.Direction.ToString(), rows, history, ParamImportanceEvaluator.Evaluate(state));
    }

    /// <summary>Serializes the report.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The trials table as CSV: number, state, value, duration, then one column per parameter.</summary>
    public string ToCsv()
    {
        var names = Trials.SelectMany(t => t.Params.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var csv = new StringBuilder("number,state,value,duration_s");
        foreach (var n in names)
        {
            csv.Append(",param_").Append(n);
        }

        csv.Append('\n');
        foreach (var t in Trials)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{t.Number},{t.State},{t.Value?.ToString("R", CultureInfo.InvariantCulture)},{t.DurationSeconds?.ToString("F3", CultureInfo.InvariantCulture)}");
            foreach (var n in names)
            {
                csv.Append(',').Append(t.Params.TryGetValue(n, out var v) ? Convert.ToString(v, CultureInfo.InvariantCulture) : string.Empty);
            }

            csv.Append('\n');
        }

        return csv.ToString();
    }
}
