using System.Text.Encodings.Web;
using System.Text.Json;
using ChurnFlows.Lifecycle.Registry;
using ChurnFlows.Lifecycle.Serving;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ChurnFlows.Functions.Http;

/// <summary>
/// Writes prediction results as the API's JSON serializer does (snake_case names, the stage as its name, a
/// missing reason value as null, a reason's category only when it has one), without reflection over the
/// records: a batch answer is written straight into the response.
/// </summary>
internal static class PredictionResultsJson
{
    private static readonly JsonEncodedText CustomerId = JsonEncodedText.Encode("customer_id");
    private static readonly JsonEncodedText Probability = JsonEncodedText.Encode("probability");
    private static readonly JsonEncodedText WillChurn = JsonEncodedText.Encode("will_churn");
    private static readonly JsonEncodedText Confidence = JsonEncodedText.Encode("confidence");
    private static readonly JsonEncodedText ModelVersion = JsonEncodedText.Encode("model_version");
    private static readonly JsonEncodedText ModelStageName = JsonEncodedText.Encode("model_stage");
    private static readonly JsonEncodedText TopReasons = JsonEncodedText.Encode("top_reasons");
    private static readonly JsonEncodedText Feature = JsonEncodedText.Encode("feature");
    private static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText Contribution = JsonEncodedText.Encode("contribution");
    private static readonly JsonEncodedText Category = JsonEncodedText.Encode("category");
    private static readonly JsonEncodedText Production = JsonEncodedText.Encode(nameof(ModelStage.Production));

    /// <summary>Writer options matching the app's JSON options, as <c>TypedResults.Ok</c> would serialize with them.</summary>
    public static JsonWriterOptions WriterOptions(HttpContext context) =>
        WriterOptions(context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions);

    /// <summary>Writer options matching serializer options <paramref name="options"/> (its encoder; never indented).</summary>
    public static JsonWriterOptions WriterOptions(JsonSerializerOptions options) =>
        new() { Encoder = options.Encoder ?? JavaScriptEncoder.Default, SkipValidation = true };

    /// <summary>Writes one result as a JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, PredictionResult result)
    {
        writer.WriteStartObject();
        if (result.CustomerId is { } id)
        {
            writer.WriteString(CustomerId, id);
        }
        else
        {
            writer.WriteNull(CustomerId);
        }

        writer.WriteNumber(Probability, result.Probability);
        writer.WriteBoolean(WillChurn, result.WillChurn);
        writer.WriteNumber(Confidence, result.Confidence);
        writer.WriteString(ModelVersion, result.ModelVersion);
        if (result.ModelStage == ModelStage.Production)
        {
            writer.WriteString(ModelStageName, Production);
        }
        else
        {
            writer.WriteString(ModelStageName, result.ModelStage.ToString());
        }

        writer.WriteStartArray(TopReasons);
        foreach (var reason in result.TopReasons)
        {
            writer.WriteStartObject();
            writer.WriteString(Feature, reason.Feature);
            if (reason.Value is { } value)
            {
                writer.WriteNumber(Value, value);
            }
            else
            {
                writer.WriteNull(Value);
            }

            writer.WriteNumber(Contribution, reason.Contribution);
            if (reason.Category is { } category)
            {
                writer.WriteString(Category, category);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
