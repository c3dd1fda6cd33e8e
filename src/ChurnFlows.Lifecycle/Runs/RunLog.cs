using Azure.Data.Tables;

namespace ChurnFlows.Lifecycle.Runs;

/// <summary>
/// Lifecycle runs in <c>ChurnRuns</c>: a summary row per run (partition <c>run</c>; step 0 carries the
/// run's kind and reason) and one row per
/// step (partition = run id, row key = zero-padded sequence). Writes are upserts keyed by the step's
/// sequence, so an activity that runs twice writes the same row twice.
/// </summary>
public sealed class RunLog(TableClient table)
{
    private const string SummaryPartition = "run";

    /// <summary>Records a step and updates the run's summary.</summary>
    public async Task RecordAsync(RunStep step, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        await table.UpsertEntityAsync(new TableEntity(step.RunId, step.Sequence.ToString("D4", System.Globalization.CultureInfo.InvariantCulture))
        {
            ["Kind"] = step.Kind,
            ["Step"] = step.Step,
            ["Status"] = step.Status,
            ["Detail"] = Truncate(step.Detail),
            ["At"] = step.At,
            ["ElapsedSeconds"] = step.ElapsedSeconds,
        }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        var summary = new TableEntity(SummaryPartition, step.RunId)
        {
            ["Status"] = step.Status,
            ["LastStep"] = step.Step,
            ["Detail"] = Truncate(step.Detail),
            ["UpdatedAt"] = step.At,
        };
        if (step.Sequence == 0)
        {
            summary["Kind"] = step.Kind;
            summary["Reason"] = Truncate(step.Detail);
            summary["StartedAt"] = step.At;
        }

        await table.UpsertEntityAsync(summary, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists runs, newest first (at most <paramref name="top"/>).</summary>
    public async Task<IReadOnlyList<RunSummary>> ListAsync(int top = 50, CancellationToken cancellationToken = default)
    {
        var runs = new List<RunSummary>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {SummaryPartition}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            runs.Add(Summary(e));
        }

        return [.. runs.OrderByDescending(r => r.StartedAt).Take(top)];
    }

    /// <summary>Reads a run's summary, or null.</summary>
    public async Task<RunSummary?> GetAsync(string runId, CancellationToken cancellationToken = default)
    {
        var e = await table.GetEntityIfExistsAsync<TableEntity>(SummaryPartition, runId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return e.HasValue ? Summary(e.Value!) : null;
    }

    /// <summary>Reads a run's steps in order.</summary>
    public async Task<IReadOnlyList<RunStep>> GetStepsAsync(string runId, CancellationToken cancellationToken = default)
    {
        var steps = new List<RunStep>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {runId}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            steps.Add(new RunStep(runId, e.GetString("Kind") ?? string.Empty, int.Parse(e.RowKey, System.Globalization.CultureInfo.InvariantCulture), e.GetString("Step") ?? string.Empty, e.GetString("Status") ?? string.Empty, e.GetString("Detail") ?? string.Empty, (e.GetDateTimeOffset("At") ?? default).UtcDateTime, e.GetDouble("ElapsedSeconds") ?? 0));
        }

        return [.. steps.OrderBy(s => s.Sequence)];
    }

    private static RunSummary Summary(TableEntity e) => new(
        e.RowKey,
        e.GetString("Kind") ?? string.Empty,
        e.GetString("Reason") ?? string.Empty,
        e.GetString("Status") ?? string.Empty,
        e.GetString("LastStep") ?? string.Empty,
        e.GetString("Detail") ?? string.Empty,
        (e.GetDateTimeOffset("StartedAt") ?? default).UtcDateTime,
        (e.GetDateTimeOffset("UpdatedAt") ?? default).UtcDateTime);

    private static string Truncate(string s) => s.Length <= 16_000 ? s : s[..16_000] + "…";
}
