using System.Diagnostics;
using System.Text.Json;

namespace ChurnFlows.Benchmarks.Training;

/// <summary>Runs the peer script (XGBoost hist, scikit-learn HistGradientBoosting) as a subprocess and reads its JSON lines.</summary>
internal static class PeerBaselines
{
    public static string Script => PeerScripts.Path("baselines.py");

    public static async Task<Dictionary<string, JsonElement>> RunAsync(string csv, string models, int trials = 50)
    {
        var start = new ProcessStartInfo("/usr/bin/python3", [Script, csv, "--models", models, "--repeats", "1", "--trials", trials.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start /usr/bin/python3.");
        var stderr = process.StandardError.ReadToEndAsync();
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.TryGetProperty("model", out var model))
            {
                result[model.GetString()!] = doc.RootElement.Clone();
            }
        }

        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The peer script failed ({process.ExitCode}): {await stderr}");
        }

        return result;
    }
}
