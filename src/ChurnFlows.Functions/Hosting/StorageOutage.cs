using Azure;

namespace ChurnFlows.Functions.Hosting;

/// <summary>
/// Tells a storage failure (the account unreachable, refusing or erroring, after the client's own retries) from
/// any other exception, so background loops log the first as one line naming the reason and keep the stack
/// trace for the second, which is a bug.
/// </summary>
internal static class StorageOutage
{
    /// <summary>Returns whether <paramref name="exception"/> is a storage request that failed.</summary>
    public static bool Is(Exception exception) => exception switch
    {
        RequestFailedException or HttpRequestException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(Is),
        _ => false,
    };
}
