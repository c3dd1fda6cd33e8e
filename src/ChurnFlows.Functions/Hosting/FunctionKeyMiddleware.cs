using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ChurnFlows.Functions.Hosting;

/// <summary>Endpoint metadata: the authorization level of an HTTP function.</summary>
/// <param name="Level">The level.</param>
public sealed record FunctionAuthorization(AuthorizationLevel Level);

/// <summary>
/// Enforces the app's keys the way Functions keys work: a key is sent as the <c>x-functions-key</c>
/// header or the <c>code</c> query parameter. Admin-level endpoints need <c>ChurnFlows:AdminKey</c>;
/// function-level ones (the default for anything under <c>/api/</c>) accept <c>ChurnFlows:ApiKey</c>
/// or the admin key. A key that is not configured is not required (open locally).
/// </summary>
public sealed class FunctionKeyMiddleware(RequestDelegate next, IOptionsMonitor<FunctionsHostingOptions> options)
{
    /// <summary>The header carrying a key.</summary>
    public const string KeyHeader = "x-functions-key";

    /// <summary>Checks the key of the request's endpoint, answering 401 problem+json when it is missing or wrong.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var level = context.GetEndpoint()?.Metadata.GetMetadata<FunctionAuthorization>()?.Level
            ?? (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) ? AuthorizationLevel.Function : AuthorizationLevel.Anonymous);
        var settings = options.CurrentValue;
        var required = level switch
        {
            AuthorizationLevel.Admin => settings.AdminKey,
            AuthorizationLevel.Function => settings.ApiKey,
            _ => null,
        };
        if (string.IsNullOrEmpty(required))
        {
            return next(context);
        }

        // A function-level route also takes the admin key.
        var presented = context.Request.Headers[KeyHeader].FirstOrDefault() ?? context.Request.Query["code"].FirstOrDefault();
        var allowed = presented is not null
            && (FixedTimeEquals(required, presented) || (level == AuthorizationLevel.Function && !string.IsNullOrEmpty(settings.AdminKey) && FixedTimeEquals(settings.AdminKey, presented)));
        return allowed ? next(context) : RefuseAsync(context, level);
    }

    private static Task RefuseAsync(HttpContext context, AuthorizationLevel level) =>
        Results.Problem(
            detail: $"This {(level == AuthorizationLevel.Admin ? "admin" : "API")} route needs a valid key in the '{KeyHeader}' header or the 'code' query parameter.",
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Missing or invalid key").ExecuteAsync(context);

    private static bool FixedTimeEquals(string expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(presented));
}
