using Azure;
using ChurnFlows.Functions.Hosting;

namespace ChurnFlows.Functions.Tests.Hosting;

public sealed class StorageOutageTests
{
    public static TheoryData<Exception, bool> Exceptions => new()
    {
        { new RequestFailedException(503, "Server busy"), true },
        { new RequestFailedException("Connection refused (127.0.0.1:1)"), true },
        { new HttpRequestException("Connection refused"), true },
        { new AggregateException(new RequestFailedException("refused"), new RequestFailedException("refused")), true },
        { new AggregateException(new RequestFailedException("refused"), new InvalidOperationException("bug")), false },
        { new AggregateException(), false },
        { new InvalidOperationException("bug"), false },
        { new FormatException("bad setting"), false },
    };

    [Theory]
    [MemberData(nameof(Exceptions))]
    public void Is_StorageFailuresOnly(Exception exception, bool expected)
    {
        Assert.Equal(expected, StorageOutage.Is(exception));
    }
}
