namespace ChurnFlows.Lifecycle.Serving;

/// <summary>
/// Reads a CSV batch (a header row, then one customer per record; see
/// <see cref="CustomerRecordReader.ReadCsv(TextReader, List{FieldError}, int)"/>) into a <see cref="CustomerBatch"/>:
/// each record is read by the model the canary routes its customer to (by the id in the Production schema's
/// id column), so both models' rows are scored in blocked passes.
/// </summary>
public static class CsvBatchReader
{
    /// <summary>Reads <paramref name="csv"/> for <paramref name="models"/>; returns null when <paramref name="errors"/> names any problem.</summary>
    public static CustomerBatch? Read(TextReader csv, ServingModels models, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(errors);
        var batch = new CustomerBatch(models, 1024);
        CustomerRecordReader.ReadCsv(csv, models.Columns.Readers, id => models.RoutesToStaging(id) ? 1 : 0, (model, id, inputs) =>
        {
            if (errors.Count == 0)
            {
                batch.Add(model, id, inputs);
            }
        }, errors, PredictionService.MaxBatchSize);
        return errors.Count == 0 ? batch : null;
    }
}
