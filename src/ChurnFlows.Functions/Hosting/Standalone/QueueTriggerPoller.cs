using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Options;

namespace ChurnFlows.Functions.Hosting.Standalone;

/// <summary>
/// The standalone queue trigger, with the Functions host's semantics: messages are received in batches
/// and hidden for <see cref="FunctionsHostingOptions.QueueVisibilityTimeout"/>; a handled message is
/// deleted; a failed one reappears, and after <see cref="FunctionsHostingOptions.MaxDequeueCount"/>
/// attempts it moves to <c>{queue}-poison</c>.
/// </summary>
public sealed partial class QueueTriggerPoller(FunctionTable table, TriggerDispatcher dispatcher, StorageConnections connections, IConfiguration configuration, IOptions<FunctionsHostingOptions> options, ILogger<QueueTriggerPoller> logger)
{
    /// <summary>Receives and handles one batch of <paramref name="function"/>'s queue; returns how many messages it received.</summary>
    public async Task<int> PollOnceAsync(FunctionDefinition function, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(function);
        var trigger = (QueueFunctionTrigger)function.Trigger;
        var settings = options.Value;
        var queue = QueueOf(trigger);
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        QueueMessage[] messages = await queue.ReceiveMessagesAsync(Math.Clamp(settings.QueueBatchSize, 1, 32), settings.QueueVisibilityTimeout, cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(messages.Select(message => HandleAsync(function, trigger, queue, message, cancellationToken))).ConfigureAwait(false);

        return messages.Length;
    }

    /// <summary>Runs one message (a batch runs concurrently, as under the host): deleted on success, moved to the poison queue after the last attempt.</summary>
    private async Task HandleAsync(FunctionDefinition function, QueueFunctionTrigger trigger, QueueClient queue, QueueMessage message, CancellationToken cancellationToken)
    {
        var invocation = new TriggerInvocation(function.Name, Guid.NewGuid().ToString())
        {
            Queue = new QueueTriggerData(queue.Name, message.MessageId, message.MessageText, message.DequeueCount) { InsertedOn = message.InsertedOn },
        };
        try
        {
            await dispatcher.DispatchAsync(function, invocation, cancellationToken).ConfigureAwait(false);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (message.DequeueCount >= options.Value.MaxDequeueCount)
            {
                var poison = connections.Get(trigger.Connection).Queues.GetQueueClient(queue.Name + "-poison");
                await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                await poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
                LogPoisoned(logger, function.Name, message.MessageId, message.DequeueCount);
            }
        }
    }

    /// <summary>Runs until <paramref name="stoppingToken"/> is canceled.</summary>
    public Task RunAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(table.Functions.Where(f => f.Trigger is QueueFunctionTrigger).Select(f => RunFunctionAsync(f, stoppingToken)));

    private async Task RunFunctionAsync(FunctionDefinition function, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var received = 0;
            try
            {
                received = await PollOnceAsync(function, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (StorageOutage.Is(e)) // an outage must not stop the poller: one line, and try again
            {
                LogStorageUnreachable(logger, function.Name, options.Value.QueuePollInterval.TotalSeconds, e.Message);
            }
            catch (Exception e) // nor must anything else, which is logged with its stack trace
            {
                LogPollFailed(logger, e, function.Name);
            }

            if (received == 0)
            {
                await Task.Delay(options.Value.QueuePollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }

    private QueueClient QueueOf(QueueFunctionTrigger trigger) =>
        connections.Get(trigger.Connection).Queues.GetQueueClient(FunctionTable.ResolveSetting(trigger.QueueName, configuration));

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Queue poll of {Function} failed; retrying")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string function);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "Queue poll of {Function} could not reach storage; retrying in {Seconds} s: {Reason}")]
    private static partial void LogStorageUnreachable(ILogger logger, string function, double seconds, string reason);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "Function {Function} moved message {MessageId} to the poison queue after {Attempts} attempts")]
    private static partial void LogPoisoned(ILogger logger, string function, string messageId, long attempts);
}
