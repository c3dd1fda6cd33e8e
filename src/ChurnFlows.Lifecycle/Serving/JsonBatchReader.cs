using System.Text.Json;

namespace ChurnFlows.Lifecycle.Serving;

/// <summary>What reading a JSON batch body found.</summary>
/// <param name="Batch">The customers read and routed; null when the body was refused or a row had problems (see the errors list), or there were no models.</param>
/// <param name="Malformed">Why the body is not valid JSON (as <see cref="Utf8JsonReader"/> says it), or null.</param>
/// <param name="Refused">The problem with the body as a whole (not an array, no customers or too many), or null.</param>
public sealed record JsonBatchRead(CustomerBatch? Batch, string? Malformed, FieldError? Refused);

/// <summary>
/// Reads a JSON array of customers straight from the UTF-8 request body in one pass (no document is built):
/// each object is read as <see cref="JsonCustomerReader"/> reads a single customer (matched to the models'
/// columns by UTF-8 names, routed by the canary, converted by its model's schema), with problems named by
/// the customer's index (<c>[3].total_spent</c>). The whole body is checked before any row problem counts:
/// malformed JSON first, then a body that is not an array or holds no or more than
/// <see cref="PredictionService.MaxBatchSize"/> customers.
/// </summary>
public static class JsonBatchReader
{
    /// <summary>
    /// Reads <paramref name="body"/> for <paramref name="models"/> (null: only check the body's shape, as
    /// when no model is served yet), adding row problems to <paramref name="errors"/>.
    /// </summary>
    public static JsonBatchRead Read(ReadOnlySpan<byte> body, ServingModels? models, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var reader = new Utf8JsonReader(body);
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                reader.Read();
                return new JsonBatchRead(null, null, new FieldError("$", "expected a JSON array of customers"));
            }

            var rows = models is null ? null : new RowReader(models, errors, Math.Min(PredictionService.MaxBatchSize, (body.Length / 64) + 1));
            var count = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (rows is not null && count < PredictionService.MaxBatchSize)
                {
                    rows.Read(body, ref reader, count);
                }
                else
                {
                    reader.Skip();
                }

                count++;
            }

            reader.Read();
            return count is 0 or > PredictionService.MaxBatchSize
                ? new JsonBatchRead(null, null, new FieldError("$", $"a batch holds 1 to {PredictionService.MaxBatchSize} customers; this one has {count}"))
                : new JsonBatchRead(errors.Count == 0 ? rows?.Batch : null, null, null);
        }
        catch (JsonException e)
        {
            return new JsonBatchRead(null, e.Message, null);
        }
    }

    /// <summary>Reads customer objects into a batch.</summary>
    private sealed class RowReader(ServingModels models, List<FieldError> errors, int capacity)
    {
        private readonly CustomerObjectReader _objects = new(models.Columns);

        public CustomerBatch Batch { get; } = new(models, capacity);

        /// <summary>Reads the array element the reader stands on as customer <paramref name="row"/>, leaving the reader on its last token.</summary>
        public void Read(ReadOnlySpan<byte> body, ref Utf8JsonReader reader, int row)
        {
            if (_objects.Read(body, ref reader, models, errors, row, out var model, out var id, out var inputs) && errors.Count == 0)
            {
                Batch.Add(model, id, inputs);
            }
        }
    }
}
