using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChurnFlows.Tuning.Studies;

/// <summary>Whether the objective is minimized or maximized.</summary>
public enum StudyDirection
{
    /// <summary>Smaller is better.</summary>
    Minimize,

    /// <summary>Larger is better.</summary>
    Maximize,
}

/// <summary>A trial's lifecycle state.</summary>
public enum TrialState
{
    /// <summary>Asked, not yet told.</summary>
    Running,

    /// <summary>Finished with a value.</summary>
    Complete,

    /// <summary>Stopped early by the pruner.</summary>
    Pruned,

    /// <summary>The objective failed.</summary>
    Fail,
}

/// <summary>One trial's recorded state (plain data, JSON round-trip exact).</summary>
public sealed record FrozenTrial
{
    /// <summary>Gets the trial number (0-based, in ask order).</summary>
    public int Number { get; init; }

    /// <summary>Gets or sets the state.</summary>
    public TrialState State { get; set; }

    /// <summary>Gets or sets the final value (Complete only).</summary>
    public double? Value { get; set; }

    /// <summary>Gets the parameters' internal values.</summary>
    public Dictionary<string, double> Params { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Gets the parameters' distributions.</summary>
    public Dictionary<string, ParameterDistribution> Distributions { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Gets the intermediate values by step.</summary>
    public SortedDictionary<int, double> IntermediateValues { get; init; } = [];

    /// <summary>Gets when the trial started.</summary>
    public DateTimeOffset Started { get; init; }

    /// <summary>Gets or sets when it finished.</summary>
    public DateTimeOffset? Completed { get; set; }

    /// <summary>Gets the rung values recorded by the successive-halving pruner.</summary>
    public Dictionary<int, double> RungValues { get; init; } = [];

    /// <summary>Gets the parameters as the objective saw them.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, object> ExternalParams => Params.ToDictionary(p => p.Key, p => Distributions[p.Key].ToExternal(p.Value), StringComparer.Ordinal);

    /// <summary>Gets the last reported step, or null.</summary>
    [JsonIgnore]
    public int? LastStep => IntermediateValues.Count == 0 ? null : IntermediateValues.Keys.Max();
}

/// <summary>
/// Everything about a study as plain data: direction, seed, trials. Save it (JSON) and load it in
/// another process to continue exactly where it stopped; sampler and pruner decisions depend only
/// on this state, the seed and the trial number.
/// </summary>
public sealed record StudyState
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Gets the study name.</summary>
    public string Name { get; init; } = "study";

    /// <summary>Gets the direction.</summary>
    public StudyDirection Direction { get; init; }

    /// <summary>Gets the seed every random decision derives from.</summary>
    public int Seed { get; init; }

    /// <summary>Gets the trials, by number.</summary>
    public List<FrozenTrial> Trials { get; init; } = [];

    /// <summary>Serializes the state.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a state.</summary>
    /// <exception cref="FormatException">The JSON is not a study state.</exception>
    public static StudyState FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<StudyState>(json, Json) ?? throw new FormatException("The study state is empty.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"The study state is not valid: {e.Message}", e);
        }
    }

    /// <summary>Returns whether <paramref name="a"/> is strictly better than <paramref name="b"/>.</summary>
    public bool IsBetter(double a, double b) => Direction == StudyDirection.Minimize ? a < b : a > b;
}
