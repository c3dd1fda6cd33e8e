using System.Buffers;
using System.Reflection;
using System.Text.Json;
using ChurnFlows.Lifecycle.Serving;
using Microsoft.AspNetCore.Http.Metadata;

namespace ChurnFlows.Functions.Http;

/// <summary>
/// 200 with one prediction, byte for byte what <c>TypedResults.Ok(result)</c> writes with the app's JSON
/// options, written by <see cref="PredictionResultsJson"/> into a per-thread buffer and sent in one write
/// with its Content-Length: at tens of thousands of predictions a second, serializing by reflection into
/// a chunked body was a visible share of each request.
/// </summary>
internal sealed class PredictionAnswer(PredictionResult result) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<PredictionResult>
{
    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? _scratch;

    /// <inheritdoc />
    public int? StatusCode => StatusCodes.Status200OK;

    /// <inheritdoc />
    public PredictionResult Value => result;

    /// <inheritdoc />
    object? IValueHttpResult.Value => result;

    /// <inheritdoc />
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(PredictionResult), ["application/json"]));
    }

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var (buffer, writer) = _scratch ??= NewScratch(httpContext);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        PredictionResultsJson.Write(writer, result);
        writer.Flush();

        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = buffer.WrittenCount;
        var body = response.BodyWriter;
        buffer.WrittenSpan.CopyTo(body.GetSpan(buffer.WrittenCount));
        body.Advance(buffer.WrittenCount);
        await body.FlushAsync(httpContext.RequestAborted);
    }

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewScratch(HttpContext httpContext)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        return (buffer, new Utf8JsonWriter(buffer, PredictionResultsJson.WriterOptions(httpContext)));
    }
}
