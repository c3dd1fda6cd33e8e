using System.Text.Json;
using ChurnFlows.ML.Data;

namespace ChurnFlows.ML.Validation;

/// <summary>What a validation run found: one result per expectation plus the parse report. A value, never an exception.</summary>
/// <param name="Success">Whether every expectation passed.</param>
/// <param name="Results">One result per expectation.</param>
/// <param name="Parse">What reading the CSV found.</param>
public sealed record ValidationReport(bool Success, IReadOnlyList<ExpectationResult> Results, ParseReport Parse)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Gets the failed expectations.</summary>
    public IEnumerable<ExpectationResult> Failures => Results.Where(r => !r.Passed);

    /// <summary>Serializes the report (kept beside quarantined data).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
