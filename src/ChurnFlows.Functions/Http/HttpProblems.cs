using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using ChurnFlows.Lifecycle.Serving;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChurnFlows.Functions.Http;

/// <summary>The API's problem+json answers and bounded JSON body reading, shared by every route.</summary>
internal static class HttpProblems
{
    /// <summary>400 naming every bad field.</summary>
    public static ValidationProblem Invalid(IEnumerable<FieldError> errors) =>
        TypedResults.ValidationProblem(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Problem).ToArray()), title: "The request has invalid fields");

    /// <summary>A problem with a status and title.</summary>
    public static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title);

    /// <summary>400 for a body that is not valid JSON, quoting the parser's <paramref name="message"/>.</summary>
    public static ProblemHttpResult Malformed(string message) =>
        Problem(StatusCodes.Status400BadRequest, "Malformed JSON", $"The body is not valid JSON: {message}");

    /// <summary>Reads a JSON body of at most <paramref name="limit"/> bytes: 413 past it, 400 for malformed JSON.</summary>
    public static async Task<(JsonDocument? Body, ProblemHttpResult? Problem)> ReadJsonAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        var (bytes, problem) = await ReadBytesAsync(request, limit, cancellationToken);
        if (problem is not null)
        {
            return (null, problem);
        }

        try
        {
            return (JsonDocument.Parse(bytes!.Value), null);
        }
        catch (JsonException e)
        {
            return (null, Malformed(e.Message));
        }
    }

    /// <summary>
    /// Buffers a body of at most <paramref name="limit"/> bytes in the request's pipe, without copying it
    /// (413 past it). On success the caller reads <c>Body.Buffer</c>, then must release it with
    /// <c>request.BodyReader.AdvanceTo(body.Buffer.End)</c>.
    /// </summary>
    public static async ValueTask<(ReadResult Body, ProblemHttpResult? Problem)> BufferBodyAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return (default, TooLarge($"The body is {request.ContentLength} bytes; this endpoint accepts at most {limit}."));
        }

        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            if (read.Buffer.Length > limit)
            {
                reader.AdvanceTo(read.Buffer.End);
                return (default, TooLarge($"The body exceeds {limit} bytes."));
            }

            if (read.IsCompleted)
            {
                return (read, null);
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    /// <summary>Reads a body of at most <paramref name="limit"/> bytes into an array of its own (413 past it).</summary>
    public static async Task<(ReadOnlyMemory<byte>? Body, ProblemHttpResult? Problem)> ReadBytesAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        var (body, problem) = await BufferBodyAsync(request, limit, cancellationToken);
        if (problem is not null)
        {
            return (null, problem);
        }

        var bytes = body.Buffer.ToArray();
        request.BodyReader.AdvanceTo(body.Buffer.End);
        return (bytes, null);
    }

    private static ProblemHttpResult TooLarge(string detail) => Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large", detail);
}
