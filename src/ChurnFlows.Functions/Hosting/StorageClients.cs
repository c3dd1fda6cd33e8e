using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace ChurnFlows.Functions.Hosting;

/// <summary>The service clients of one storage account.</summary>
/// <param name="Blobs">The blob service.</param>
/// <param name="Queues">The queue service.</param>
/// <param name="Tables">The table service.</param>
public sealed record StorageClients(BlobServiceClient Blobs, QueueServiceClient Queues, TableServiceClient Tables);
