using System.Collections.Concurrent;
using System.Diagnostics;

namespace ChurnFlows.Functions.Tests.Hosting;

/// <summary>The real ChurnFlows executable in its own process (standalone mode), configured through environment variables.</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AppProcess(Process process)
    {
        _process = process;
        void Collect(string? line)
        {
            if (line is null)
            {
                return;
            }

            _output.Enqueue(line);
            if (line.Contains("Now listening on", StringComparison.Ordinal))
            {
                _listening.TrySetResult();
            }
        }

        _process.OutputDataReceived += (_, e) => Collect(e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data);
    }

    public string Output => string.Join(Environment.NewLine, _output);

    public static async Task<AppProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ChurnFlows.Functions.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        var app = new AppProcess(Process.Start(info)!);
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        var started = await Task.WhenAny(app._listening.Task, app._process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (started != app._listening.Task)
        {
            throw new InvalidOperationException($"The app did not start listening:{Environment.NewLine}{app.Output}");
        }

        return app;
    }

    /// <summary>Kills the process at once (SIGKILL): no graceful shutdown, leases are not released.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
