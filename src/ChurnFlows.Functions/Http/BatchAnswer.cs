using System.Reflection;
using System.Text.Json;
using ChurnFlows.Lifecycle.Serving;
using Microsoft.AspNetCore.Http.Metadata;

namespace ChurnFlows.Functions.Http;

/// <summary>
/// 200 with a batch's results as a JSON array, byte for byte what <c>TypedResults.Ok(results)</c> writes with
/// the app's JSON options, but written by <see cref="PredictionResultsJson"/> into the response in chunks:
/// serializing 10,000 results by reflection cost about as much as reading them.
/// </summary>
internal sealed class BatchAnswer(IReadOnlyList<PredictionResult> results) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<IReadOnlyList<PredictionResult>>
{
    private const int RowsPerFlush = 1_000;

    /// <inheritdoc />
    public int? StatusCode => StatusCodes.Status200OK;

    /// <inheritdoc />
    public IReadOnlyList<PredictionResult> Value => results;

    /// <inheritdoc />
    object? IValueHttpResult.Value => results;

    /// <inheritdoc />
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(IReadOnlyList<PredictionResult>), ["application/json"]));
    }

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        var body = response.BodyWriter;
        await using var writer = new Utf8JsonWriter(body, PredictionResultsJson.WriterOptions(httpContext));
        writer.WriteStartArray();
        for (var i = 0; i < results.Count; i++)
        {
            PredictionResultsJson.Write(writer, results[i]);
            if ((i + 1) % RowsPerFlush == 0)
            {
                writer.Flush();
                await body.FlushAsync(httpContext.RequestAborted);
            }
        }

        writer.WriteEndArray();
        writer.Flush();
        await body.FlushAsync(httpContext.RequestAborted);
    }
}
