using Azure.Data.Tables;

namespace ChurnFlows.Lifecycle;

/// <summary>The product's tables: dataset versions, lifecycle runs, tuning trials and the model registry.</summary>
public sealed class ChurnTables
{
    /// <summary>Creates the table clients of the account <paramref name="tables"/> serves.</summary>
    public ChurnTables(TableServiceClient tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        Datasets = tables.GetTableClient("ChurnDatasets");
        Runs = tables.GetTableClient("ChurnRuns");
        Trials = tables.GetTableClient("ChurnTrials");
        Models = tables.GetTableClient("ChurnModels");
    }

    /// <summary>Gets dataset versions and their lineage.</summary>
    public TableClient Datasets { get; }

    /// <summary>Gets lifecycle runs and their steps.</summary>
    public TableClient Runs { get; }

    /// <summary>Gets tuning studies and their trials.</summary>
    public TableClient Trials { get; }

    /// <summary>Gets the model registry: versions, stages, metrics, promotion history.</summary>
    public TableClient Models { get; }

    /// <summary>Creates every table that is missing.</summary>
    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        foreach (var t in new[] { Datasets, Runs, Trials, Models })
        {
            await t.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
