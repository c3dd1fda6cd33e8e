using System.Diagnostics;

namespace ChurnFlows.Functions.Hosting.Azurite;

/// <summary>Finds the pinned Azurite package and installs it with <c>npm ci</c> when it is missing.</summary>
public static class AzuriteInstaller
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    /// <summary>Returns the path of Azurite's entry script under <paramref name="toolRoot"/> (or the nearest folder with a package.json pinning Azurite), installing it first if needed.</summary>
    /// <exception cref="InvalidOperationException">No package.json pins Azurite, or npm is missing or fails; the message says what to do.</exception>
    public static async Task<string> EnsureInstalledAsync(string? toolRoot, CancellationToken cancellationToken = default)
    {
        var root = toolRoot ?? FindToolRoot()
            ?? throw new InvalidOperationException("No package.json that pins azurite was found above the current directory or the app folder; set the Azurite tool root.");
        var script = ScriptPath(root);
        if (File.Exists(script))
        {
            return script;
        }

        await InstallLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!File.Exists(script))
            {
                await RunNpmAsync(root, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            InstallLock.Release();
        }

        return File.Exists(script) ? script : throw new InvalidOperationException($"npm finished but {script} is still missing.");
    }

    /// <summary>Searches upward from the current directory and the app folder for a package.json that names azurite.</summary>
    public static string? FindToolRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var manifest = Path.Combine(dir.FullName, "package.json");
                if (File.Exists(manifest) && File.ReadAllText(manifest).Contains("\"azurite\"", StringComparison.Ordinal))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    private static string ScriptPath(string root) => Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");

    private static async Task RunNpmAsync(string root, CancellationToken cancellationToken)
    {
        var verb = File.Exists(Path.Combine(root, "package-lock.json")) ? "ci" : "install";
        var start = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm", [verb, "--no-audit", "--no-fund", "--loglevel=error"])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("npm did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("Azurite is not installed and npm was not found; install Node.js 20+ (it brings npm).", e);
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"'npm {verb}' in {root} failed with exit code {process.ExitCode}: {await stderr.ConfigureAwait(false)}");
            }
        }
    }
}
