using System.Text.Json;

namespace ChurnFlows.Lifecycle.Serving;

/// <summary>One customer read from a request, routed and converted: the model that scores it, its id, and its inputs in that model's order.</summary>
/// <param name="Model">The model the canary routed the customer to.</param>
/// <param name="Id">The customer id (the schema's id column, when it holds a string), or null.</param>
/// <param name="Inputs">The input values, as <see cref="ML.Features.FeaturePipeline.TransformRow"/> takes them.</param>
public sealed record RoutedCustomer(ServingModel Model, string? Id, double[] Inputs);

/// <summary>What reading a single customer's JSON body found.</summary>
/// <param name="Customer">The customer read and routed; null when the body is malformed, a field had problems (see the errors list), or there were no models.</param>
/// <param name="Malformed">Why the body is not valid JSON (as <see cref="Utf8JsonReader"/> says it), or null.</param>
public sealed record JsonCustomerRead(RoutedCustomer? Customer, string? Malformed);

/// <summary>
/// Reads one customer, a JSON object, straight from the UTF-8 request body in one pass (no document is
/// built): its properties are matched to the served models' columns by their UTF-8 names, the customer is
/// routed by the canary (see <see cref="ServingModels.RoutesToStaging"/>) and converted by that model's
/// <see cref="CustomerRecordReader"/>. Problems are named by the field (<c>total_spent</c>), or <c>$</c>
/// for a body that is not an object; malformed JSON is reported before any of them.
/// </summary>
public static class JsonCustomerReader
{
    /// <summary>
    /// Reads <paramref name="body"/> for <paramref name="models"/> (null: only check that it is JSON, as when
    /// no model is served yet), adding field problems to <paramref name="errors"/>.
    /// </summary>
    public static JsonCustomerRead Read(ReadOnlySpan<byte> body, ServingModels? models, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var reader = new Utf8JsonReader(body);
        try
        {
            reader.Read();
            RoutedCustomer? customer = null;
            if (models is null)
            {
                reader.Skip();
            }
            else if (CustomerObjectReader.OfThisThread(models.Columns).Read(body, ref reader, models, errors, row: -1, out var model, out var id, out var inputs))
            {
                customer = new RoutedCustomer(models[model], id, inputs.ToArray());
            }

            // Past the value: anything but whitespace after it is malformed, as a parser of the whole body says.
            reader.Read();
            return new JsonCustomerRead(errors.Count == 0 ? customer : null, null);
        }
        catch (JsonException e)
        {
            return new JsonCustomerRead(null, e.Message);
        }
    }
}
