using System.Globalization;
using System.Text;

namespace ChurnFlows.Durable.AzureStorage;

/// <summary>Names of a task hub's queues, tables and containers, and the instance-to-partition map.</summary>
internal sealed class TaskHubLayout
{
    public TaskHubLayout(string taskHubName, int partitionCount)
    {
        var lower = taskHubName.ToLowerInvariant();
        var alnum = new string([.. taskHubName.Where(char.IsAsciiLetterOrDigit)]);
        PartitionCount = partitionCount;
        ControlQueues = [.. Enumerable.Range(0, partitionCount).Select(i => $"{lower}-control-{i.ToString("00", CultureInfo.InvariantCulture)}")];
        WorkItemQueue = $"{lower}-workitems";
        PoisonQueue = $"{lower}-poison";
        HistoryTable = $"{alnum}History";
        InstancesTable = $"{alnum}Instances";
        LargeMessagesContainer = $"{lower}-largemessages";
        LeasesContainer = $"{lower}-leases";
    }

    public int PartitionCount { get; }

    public IReadOnlyList<string> ControlQueues { get; }

    public string WorkItemQueue { get; }

    public string PoisonQueue { get; }

    public string HistoryTable { get; }

    public string InstancesTable { get; }

    public string LargeMessagesContainer { get; }

    public string LeasesContainer { get; }

    /// <summary>FNV-1a (32-bit, UTF-8) of the instance id modulo the partition count, as DurableTask.AzureStorage does.</summary>
    public int PartitionOf(string instanceId)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(instanceId))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return (int)(hash % (uint)PartitionCount);
    }

    /// <summary>Escapes an instance id for use as a table key or blob-name prefix ('/', '\', '#', '?' and control characters are not allowed in keys).</summary>
    public static string EscapeKey(string instanceId)
    {
        var sb = new StringBuilder(instanceId.Length);
        foreach (var c in instanceId)
        {
            switch (c)
            {
                case '^': sb.Append("^^"); break;
                case '/': sb.Append("^0"); break;
                case '\\': sb.Append("^1"); break;
                case '#': sb.Append("^2"); break;
                case '?': sb.Append("^3"); break;
                default:
                    if (char.IsControl(c))
                    {
                        sb.Append("^u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.ToString();
    }
}
