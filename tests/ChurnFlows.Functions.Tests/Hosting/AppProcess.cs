using System.Diagnostics;
using ChurnFlows.TestKit;

namespace ChurnFlows.Functions.Tests.Hosting;

/// <summary>The real ChurnFlows executable in its own process (standalone mode), configured through environment variables.</summary>
public static class AppProcess
{
    /// <summary>Starts the app on a free loopback port and returns once it listens.</summary>
    public static Task<ChildProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var info = new ProcessStartInfo("dotnet");
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ChurnFlows.Functions.dll"));
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        return ChildProcess.StartAsync(info, line => line.Contains("Now listening on", StringComparison.Ordinal));
    }
}
