using ChurnFlows.Lifecycle.Monitoring;
using ChurnFlows.Lifecycle.Orchestration;
using ChurnFlows.ML.Schema;

namespace ChurnFlows.Lifecycle;

/// <summary>Every lifecycle setting, with the product's defaults (configuration section <c>ChurnFlows</c>).</summary>
public sealed record LifecycleOptions
{
    /// <summary>Gets how retrains tune, train and gate.</summary>
    public RetrainSettings Retrain { get; init; } = new();

    /// <summary>Gets what the drift monitor checks and when it starts a retrain.</summary>
    public DriftMonitorSettings Drift { get; init; } = new();

    /// <summary>Gets whether accepted new data starts a retrain.</summary>
    public bool RetrainOnNewData { get; init; } = true;

    /// <summary>Gets the NCRONTAB schedule of the scheduled retrain (default Sundays 03:00 UTC); empty for none.</summary>
    public string? RetrainSchedule { get; init; } = "0 0 3 * * 0";

    /// <summary>
    /// Gets the path of the schema file (JSON) that ingested CSVs are read with; empty for the standard
    /// churn schema. A CSV with other columns (categoricals included) needs only this file, no code.
    /// </summary>
    public string? SchemaPath { get; init; }

    /// <summary>Loads the schema <see cref="SchemaPath"/> names, or returns the standard churn schema.</summary>
    /// <exception cref="InvalidOperationException">The file cannot be read or is not a valid schema; the message names the setting.</exception>
    public DatasetSchema LoadSchema()
    {
        if (string.IsNullOrWhiteSpace(SchemaPath))
        {
            return DatasetSchema.StandardChurn;
        }

        try
        {
            return DatasetSchema.FromJson(File.ReadAllText(SchemaPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new InvalidOperationException($"Setting ChurnFlows:Lifecycle:SchemaPath ('{SchemaPath}') cannot be used: {e.Message}", e);
        }
    }
}
