using System.Text.Json;

namespace ChurnFlows.Lifecycle.Serving;

/// <summary>
/// Reads customer objects straight from a UTF-8 JSON body, for one request: each object's properties are
/// matched to the served models' columns by their UTF-8 names and read once; the customer is routed by its
/// id as the Production schema reads it (see <see cref="ServingModels.RoutesToStaging"/>) and converted by
/// that model's <see cref="CustomerRecordReader"/>. Unknown properties are ignored, null is missing, and when
/// a name repeats, the last value counts. Not thread-safe: a reader serves one thread at a time.
/// </summary>
internal sealed class CustomerObjectReader
{
    [ThreadStatic]
    private static CustomerObjectReader? _ofThisThread;

    private readonly ServingColumns _columns;
    private readonly RawJsonValue[] _values;
    private readonly double[] _inputs;

    /// <summary>Creates a reader over <paramref name="columns"/> (those of the models it will route to).</summary>
    public CustomerObjectReader(ServingColumns columns)
    {
        _columns = columns;
        _values = new RawJsonValue[_columns.Count + 1];
        _inputs = new double[_columns.Readers.Max(r => r.InputColumns.Count)];
    }

    /// <summary>This thread's reader over <paramref name="columns"/>, made again only when the served models changed.</summary>
    public static CustomerObjectReader OfThisThread(ServingColumns columns)
    {
        var reader = _ofThisThread;
        return reader is not null && ReferenceEquals(reader._columns, columns) ? reader : _ofThisThread = new CustomerObjectReader(columns);
    }

    /// <summary>
    /// Reads the value <paramref name="reader"/> stands on as a customer, leaving the reader on its last token.
    /// Returns whether it was an object whose fields all read cleanly; then <paramref name="model"/> is the
    /// model it is routed to (0 Production, 1 Staging), <paramref name="id"/> its id in that model's schema,
    /// and <paramref name="inputs"/> its inputs in that model's order (valid until the next read). Problems
    /// are added to <paramref name="errors"/>, named by <see cref="CustomerRecordReader.FieldName"/> for
    /// <paramref name="row"/> (negative: the request's only customer). <paramref name="models"/> routes the
    /// customer by its Production id; without models every customer is read for Production.
    /// </summary>
    public bool Read(ReadOnlySpan<byte> body, ref Utf8JsonReader reader, ServingModels? models, List<FieldError> errors, int row, out int model, out string? id, out ReadOnlySpan<double> inputs)
    {
        (model, id) = (0, null);
        inputs = default;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            errors.Add(new FieldError(CustomerRecordReader.FieldName(row), $"expected a JSON object, got {RawJsonValue.ValueKindOf(reader.TokenType)}"));
            reader.Skip();

            // Routed like a customer without an id, so the anonymous share stays the same as for clean bodies.
            models?.RoutesToStaging(null);
            return false;
        }

        var values = _values.AsSpan();
        values.Clear();
        for (var position = 0; reader.Read() && reader.TokenType == JsonTokenType.PropertyName; position++)
        {
            var slot = _columns.Match(ref reader, position);
            reader.Read();
            if (slot < 0)
            {
                reader.Skip();
                continue;
            }

            RawJsonValue.Read(ref reader, ref values[slot]);
        }

        var productionId = CustomerRecordReader.ReadId(body, values[_columns.IdSlot(0)]);
        model = models?.RoutesToStaging(productionId) == true ? 1 : 0;
        var modelReader = _columns.Readers[model];
        var modelInputs = _inputs.AsSpan(0, modelReader.InputColumns.Count);
        if (!modelReader.Read(body, values, _columns.InputSlots(model), modelInputs, errors, row))
        {
            return false;
        }

        id = _columns.IdSlot(model) == _columns.IdSlot(0) ? productionId : CustomerRecordReader.ReadId(body, values[_columns.IdSlot(model)]);
        inputs = modelInputs;
        return true;
    }
}
