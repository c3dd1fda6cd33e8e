using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ChurnFlows.Functions.Tests.Hosting;

/// <summary>A logger that keeps what it is given, for tests that check what a component logs.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    /// <summary>One log call.</summary>
    public sealed record Entry(LogLevel Level, EventId EventId, string Message, Exception? Exception);

    /// <summary>Gets the calls so far, oldest first.</summary>
    public ConcurrentQueue<Entry> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue(new Entry(logLevel, eventId, formatter(state, exception), exception));
}
