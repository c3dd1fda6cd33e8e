using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChurnFlows.Functions.Hosting.Metadata;

/// <summary>
/// Writes the Functions host's metadata for a <see cref="FunctionTable"/>: one folder per function named
/// after it, holding its <c>function.json</c>. HTTP functions get an <c>httpTrigger</c> plus an <c>http</c>
/// output (so the host forwards them as plain HTTP); blob triggers use the Event Grid source that Flex
/// Consumption requires; every binding reads the storage connection named in the table.
/// </summary>
public static class FunctionJsonGenerator
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Builds the function.json document of <paramref name="function"/>.</summary>
    public static JsonObject Create(FunctionDefinition function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var trigger = function.Trigger;
        var type = trigger switch
        {
            HttpFunctionTrigger => "httpTrigger",
            TimerFunctionTrigger => "timerTrigger",
            BlobFunctionTrigger => "blobTrigger",
            QueueFunctionTrigger => "queueTrigger",
            _ => throw new ArgumentException($"Function '{function.Name}' has an unknown trigger {trigger.GetType().Name}.", nameof(function)),
        };
        var binding = new JsonObject { ["type"] = type, ["direction"] = "in", ["name"] = trigger.BindingName };
        var bindings = new JsonArray { binding };
        switch (trigger)
        {
            case HttpFunctionTrigger http:
                binding["authLevel"] = http.AuthorizationLevel.ToString().ToLowerInvariant();
                binding["methods"] = new JsonArray([.. http.Methods.Select(m => (JsonNode)m.ToLowerInvariant())]);
                binding["route"] = http.Route;
                bindings.Add(new JsonObject { ["type"] = "http", ["direction"] = "out", ["name"] = "res" });
                break;
            case TimerFunctionTrigger timer:
                binding["schedule"] = timer.Schedule;
                binding["runOnStartup"] = timer.RunOnStartup;
                binding["useMonitor"] = true;
                break;
            case BlobFunctionTrigger blob:
                binding["path"] = blob.Path;
                binding["connection"] = blob.Connection;
                binding["source"] = "EventGrid";
                binding["dataType"] = "binary";
                break;
            case QueueFunctionTrigger queue:
                binding["queueName"] = queue.QueueName;
                binding["connection"] = queue.Connection;
                break;
        }

        return new JsonObject { ["bindings"] = bindings };
    }

    /// <summary>
    /// Writes <c>{directory}/{FunctionName}/function.json</c> for every function and removes the folders of
    /// functions no longer in the table (folders holding nothing but a function.json); returns the files written.
    /// </summary>
    public static IReadOnlyList<string> Write(FunctionTable table, string directory)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (Directory.Exists(directory))
        {
            foreach (var folder in Directory.GetDirectories(directory))
            {
                var files = Directory.GetFileSystemEntries(folder);
                if (files.Length == 1 && Path.GetFileName(files[0]) == "function.json" && table.Find(Path.GetFileName(folder)) is null)
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
        }

        var written = new List<string>();
        foreach (var function in table.Functions)
        {
            var folder = Path.Combine(directory, function.Name);
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, "function.json");
            File.WriteAllText(file, Create(function).ToJsonString(Indented) + Environment.NewLine);
            written.Add(file);
        }

        return written;
    }
}
