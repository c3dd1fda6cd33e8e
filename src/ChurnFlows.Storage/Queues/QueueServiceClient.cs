using ChurnFlows.Storage.Pipeline;

namespace ChurnFlows.Storage.Queues;

/// <summary>The queue service of one account. Immutable and thread-safe.</summary>
public sealed class QueueServiceClient
{
    private readonly StorageService _service;

    internal QueueServiceClient(StorageService service) => _service = service;

    /// <summary>Gets the service endpoint.</summary>
    public Uri Uri => _service.Endpoint;

    /// <summary>Gets a client for one queue (no request is made).</summary>
    /// <param name="queueName">3–63 lower-case letters, digits and single hyphens.</param>
    /// <param name="encoding">How message text is put on the wire; Base64 (the default) is what the Functions queue trigger expects.</param>
    public QueueClient GetQueueClient(string queueName, QueueMessageEncoding encoding = QueueMessageEncoding.Base64)
    {
        StorageNames.ValidateContainerOrQueue(queueName, "queue");
        return new QueueClient(_service, queueName, encoding);
    }
}
