using System.Diagnostics;

namespace ChurnFlows.Benchmarks.Serving;

/// <summary>
/// The load generator and the peer's serving stack: <c>wrk</c> with the peers' <c>wrk_post.lua</c> (16
/// connections, 2 threads, loopback only, bounded in time), and checks that both are installed.
/// </summary>
internal static class LoadTools
{
    /// <summary>The Python modules the peer's training and serving need.</summary>
    public const string PeerModules = "xgboost, sklearn, pandas, fastapi, uvicorn, uvloop, httptools";

    /// <summary>Returns what is missing for the side-by-side run, or null when wrk and the peer's modules are installed.</summary>
    public static async Task<string?> FindMissingAsync()
    {
        var missing = new List<string>();
        if (!await IsOnPathAsync("wrk"))
        {
            missing.Add("wrk (not on PATH)");
        }

        if (!await SucceedsAsync("/usr/bin/python3", ["-c", $"import {PeerModules}"]))
        {
            missing.Add($"the peer's Python modules for /usr/bin/python3 ({PeerModules})");
        }

        if (!File.Exists(PeerScripts.Path("wrk_post.lua")))
        {
            missing.Add($"the peer scripts ({PeerScripts.Folder}; set CHURNFLOWS_PEERS)");
        }

        return missing.Count == 0 ? null : string.Join("; ", missing);
    }

    /// <summary>Returns whether <paramref name="program"/> is on PATH.</summary>
    public static Task<bool> IsOnPathAsync(string program) => SucceedsAsync("sh", ["-c", $"command -v {program}"]);

    /// <summary>
    /// Runs <c>wrk -t2 -c16 --latency -s wrk_post.lua</c> against <paramref name="url"/> for <paramref name="seconds"/>;
    /// with <paramref name="post"/> false, plain GETs with the same summary (the script without its request lines).
    /// </summary>
    public static async Task<WrkResult> WrkAsync(Uri url, int seconds, bool post = true)
    {
        var script = PeerScripts.Path("wrk_post.lua");
        if (!post)
        {
            var get = Path.Combine(Path.GetTempPath(), "churnflows-wrk-get.lua");
            await File.WriteAllLinesAsync(get, File.ReadLines(script).Where(l => !l.StartsWith("wrk.", StringComparison.Ordinal)));
            script = get;
        }

        var output = await RunAsync("timeout", [(seconds + 20).ToString(System.Globalization.CultureInfo.InvariantCulture), "wrk", "-t2", "-c16", $"-d{seconds}s", "--latency", "-s", script, url.ToString()]);
        return WrkResult.Parse(output) ?? throw new InvalidOperationException($"wrk printed no summary line:{Environment.NewLine}{output}");
    }

    /// <summary>Returns the fixed customer <c>wrk_post.lua</c> posts.</summary>
    public static string WrkBody()
    {
        const string Prefix = "wrk.body = '";
        var line = File.ReadLines(PeerScripts.Path("wrk_post.lua")).First(l => l.StartsWith(Prefix, StringComparison.Ordinal));
        return line[Prefix.Length..line.LastIndexOf('\'')];
    }

    /// <summary>Runs a program and returns its standard output; a non-zero exit throws with its standard error.</summary>
    public static async Task<string> RunAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await stdout : throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {await stderr}{await stdout}");
    }

    private static async Task<bool> SucceedsAsync(string program, IEnumerable<string> arguments)
    {
        try
        {
            await RunAsync(program, arguments);
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
