using System.Text.Json;

namespace ChurnFlows.Lifecycle.Serving;

/// <summary>What reading a JSON batch body found.</summary>
/// <param name="Batch">The customers read and routed; null when the body was refused or a row had problems (see the errors list), or there were no models.</param>
/// <param name="Malformed">Why the body is not valid JSON (as <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/> says it), or null.</param>
/// <param name="Refused">The problem with the body as a whole (not an array, no customers or too many), or null.</param>
public sealed record JsonBatchRead(CustomerBatch? Batch, string? Malformed, FieldError? Refused);

/// <summary>
/// Reads a JSON array of customers straight from the UTF-8 request body in one pass (no document is built):
/// each object's properties are matched to the models' columns by their UTF-8 names, read once, and the row
/// is converted by the model the canary routes its customer to (see <see cref="ServingModels.RoutesToStaging"/>),
/// with the same rules, field names (<c>[3].total_spent</c>) and problem texts as <see cref="CustomerRecordReader"/>
/// reading a parsed element: unknown properties are ignored, null is missing, and when a name repeats the
/// last value counts. The whole body is checked before any row problem counts: malformed JSON first, then
/// a body that is not an array or holds no or more than <see cref="PredictionService.MaxBatchSize"/> customers.
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

    /// <summary>Reads customer objects into a batch, remembering at which position each object had each property.</summary>
    private sealed class RowReader(ServingModels models, List<FieldError> errors, int capacity)
    {
        private readonly ServingColumns _columns = new(models);
        private readonly double[] _inputs = new double[Math.Max(models.Production.Artifact.Pipeline.InputColumns.Count, models.Staging?.Artifact.Pipeline.InputColumns.Count ?? 0)];
        private readonly List<int> _guesses = [];
        private RawJsonValue[]? _values;

        public CustomerBatch Batch { get; } = new(models, capacity);

        /// <summary>Reads the array element the reader stands on as customer <paramref name="row"/>, leaving the reader on its last token.</summary>
        public void Read(ReadOnlySpan<byte> body, ref Utf8JsonReader reader, int row)
        {
            var values = _values ??= new RawJsonValue[_columns.Count + 1];
            Array.Clear(values);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                errors.Add(new FieldError($"[{row}]", $"expected a JSON object, got {RawJsonValue.ValueKindOf(reader.TokenType)}"));
                reader.Skip();
                models.RoutesToStaging(null);
                return;
            }

            for (var position = 0; reader.Read() && reader.TokenType == JsonTokenType.PropertyName; position++)
            {
                if (position == _guesses.Count)
                {
                    _guesses.Add(position);
                }

                var slot = _columns.Match(ref reader, _guesses[position]);
                reader.Read();
                if (slot < 0)
                {
                    reader.Skip();
                    continue;
                }

                _guesses[position] = slot;
                RawJsonValue.Read(ref reader, ref values[slot]);
            }

            var productionId = CustomerRecordReader.ReadId(body, values[_columns.IdSlot(0)]);
            var model = models.RoutesToStaging(productionId) ? 1 : 0;
            var modelReader = Batch.Models[model].Reader;
            var inputs = _inputs.AsSpan(0, modelReader.InputColumns.Count);
            if (modelReader.Read(body, values, _columns.InputSlots(model), inputs, errors, row) && errors.Count == 0)
            {
                var id = _columns.IdSlot(model) == _columns.IdSlot(0) ? productionId : CustomerRecordReader.ReadId(body, values[_columns.IdSlot(model)]);
                Batch.Add(model, id, inputs);
            }
        }
    }
}
