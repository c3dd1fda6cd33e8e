using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ChurnFlows.Durable.History;
using Microsoft.Extensions.Logging;

namespace ChurnFlows.Durable.Orchestration;

/// <summary>The <see cref="TaskOrchestrationContext"/> API: every call records an action with the next sequence id.</summary>
public sealed partial class OrchestrationExecutor
{
    private static readonly Guid GuidNamespace = new("9e952958-5e33-4daf-827f-2fa12937b875");

    /// <inheritdoc />
    public override T? GetInput<T>() where T : default => _converter.Deserialize<T>(_input);

    /// <inheritdoc />
    public override async Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var serialized = _converter.Serialize(input);
        return await WithRetry(options?.Retry, () => Schedule<TResult>(id => new ScheduleTaskAction(id, name, serialized), name));
    }

    /// <inheritdoc />
    public override async Task<TResult> CallSubOrchestratorAsync<TResult>(string orchestratorName, object? input = null, TaskOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(orchestratorName);
        var serialized = _converter.Serialize(input);
        var explicitId = (options as SubOrchestrationOptions)?.InstanceId;
        return await WithRetry(options?.Retry, () => Schedule<TResult>(
            id => new CreateSubOrchestrationAction(id, orchestratorName, explicitId ?? $"{InstanceId}:{id:D4}", serialized), orchestratorName));
    }

    /// <inheritdoc />
    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        var id = _sequence++;
        var tcs = new TaskCompletionSource();
        var action = new CreateTimerAction(id, DateTime.SpecifyKind(fireAt, DateTimeKind.Utc));
        _pending[id] = action;
        _open[id] = (action, _ => tcs.TrySetResult());
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() => tcs.TrySetCanceled(cancellationToken));
        }

        return tcs.Task;
    }

    /// <inheritdoc />
    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        var tcs = new TaskCompletionSource<T>();
        if (_buffered.TryGetValue(eventName, out var buffer) && buffer.TryDequeue(out var early))
        {
            Complete(tcs, early.Input);
            return tcs.Task;
        }

        if (!_waiters.TryGetValue(eventName, out var queue))
        {
            _waiters[eventName] = queue = new Queue<Action<string?>>();
        }

        var cancelled = false;
        queue.Enqueue(payload =>
        {
            if (cancelled)
            {
                // A cancelled wait passes the event on to the next waiter (or the buffer).
                Deliver(new EventRaisedEvent(_now, eventName, payload));
                return;
            }

            Complete(tcs, payload);
        });
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() =>
            {
                cancelled = true;
                tcs.TrySetCanceled(cancellationToken);
            });
        }

        return tcs.Task;
    }

    /// <inheritdoc />
    public override async Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan timeout)
    {
        using var cancelTimer = new CancellationTokenSource();
        using var cancelWait = new CancellationTokenSource();
        var wait = WaitForExternalEvent<T>(eventName, cancelWait.Token);
        var timer = CreateTimer(CurrentUtcDateTime + timeout, cancelTimer.Token);
        var first = await Task.WhenAny(wait, timer);
        if (first == wait)
        {
            cancelTimer.Cancel();
            return await wait;
        }

        cancelWait.Cancel();
        throw new TaskCanceledException($"No '{eventName}' event arrived within {timeout}.");
    }

    /// <inheritdoc />
    public override void SendEvent(string instanceId, string eventName, object? payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        var id = _sequence++;
        _pending[id] = new SendEventAction(id, instanceId, eventName, _converter.Serialize(payload));
    }

    /// <inheritdoc />
    public override void SetCustomStatus(object? customStatus) => _customStatus = _converter.Serialize(customStatus);

    /// <inheritdoc />
    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) =>
        _continueAsNew = (true, _converter.Serialize(newInput), preserveUnprocessedEvents);

    /// <inheritdoc />
    public override Guid NewGuid()
    {
        var name = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{InstanceId}_{CurrentUtcDateTime:o}_{_guidCounter++}"));
        var space = GuidNamespace.ToByteArray(bigEndian: true);
        // RFC 4122 defines version-5 UUIDs with SHA-1; this is naming, not security.
#pragma warning disable CA5350
        var hash = SHA1.HashData([.. space, .. name]);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <inheritdoc />
    public override ILogger CreateReplaySafeLogger(string categoryName) => new ReplaySafeLogger(_loggerFactory.CreateLogger(categoryName), () => _replaying);

    private Task<T> Schedule<T>(Func<int, OrchestratorAction> create, string name)
    {
        var id = _sequence++;
        var action = create(id);
        var tcs = new TaskCompletionSource<T>();
        _pending[id] = action;
        _open[id] = (action, e =>
        {
            switch (e)
            {
                case TaskCompletedEvent c:
                    Complete(tcs, c.Result);
                    break;
                case SubOrchestrationInstanceCompletedEvent c:
                    Complete(tcs, c.Result);
                    break;
                case TaskFailedEvent f:
                    tcs.TrySetException(new TaskFailedException(name, id, f.FailureDetails));
                    break;
                case SubOrchestrationInstanceFailedEvent f:
                    tcs.TrySetException(new TaskFailedException(name, id, f.FailureDetails));
                    break;
            }
        });
        return tcs.Task;
    }

    private async Task<T> WithRetry<T>(RetryPolicy? policy, Func<Task<T>> attempt)
    {
        if (policy is null)
        {
            return await attempt();
        }

        var started = CurrentUtcDateTime;
        for (var n = 1; ; n++)
        {
            try
            {
                return await attempt();
            }
            catch (TaskFailedException failure) when (policy.NextDelay(n, failure.FailureDetails, CurrentUtcDateTime - started) is not null)
            {
                await CreateTimer(CurrentUtcDateTime + policy.NextDelay(n, failure.FailureDetails, CurrentUtcDateTime - started)!.Value, CancellationToken.None);
            }
        }
    }

    private void Complete<T>(TaskCompletionSource<T> tcs, string? payload)
    {
        try
        {
            tcs.TrySetResult(_converter.Deserialize<T>(payload)!);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException)
        {
            tcs.TrySetException(new InvalidOperationException($"A result could not be read as {typeof(T).Name}: {ex.Message}", ex));
        }
    }
}
