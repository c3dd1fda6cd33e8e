using System.Diagnostics;

namespace ChurnFlows.Benchmarks;

/// <summary>Runs Debian's Python (where the peer packages live) and returns its standard output.</summary>
internal static class Python
{
    public static async Task<string> RunAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/python3", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start /usr/bin/python3.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await stdout : throw new InvalidOperationException($"python3 failed ({process.ExitCode}): {await stderr}");
    }
}
