using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using ChurnFlows.TestKit;

namespace ChurnFlows.Durable.AzureStorage.Tests;

/// <summary>A test worker in its own process (the TestWorker project), stopped by closing its input or killed outright.</summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            _output.Enqueue(e.Data);
            if (e.Data == "ready")
            {
                _ready.TrySetResult();
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _output.Enqueue(e.Data);
            }
        };
    }

    public string Output => string.Join(Environment.NewLine, _output);

    public bool HasExited => _process.HasExited;

    public static async Task<WorkerProcess> StartAsync(string hubName, string sideEffectTable, string? killAt = null, int activityDelayMs = 5)
    {
        var dll = typeof(WorkerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TestWorkerPath").Value!;
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, (await AzuriteFixture.GetAsync()).ConnectionString, hubName, sideEffectTable })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["CHURNFLOWS_ACTIVITY_DELAY_MS"] = activityDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (killAt is not null)
        {
            info.Environment["CHURNFLOWS_KILL_AT"] = killAt;
        }

        var worker = new WorkerProcess(Process.Start(info)!);
        worker._process.BeginOutputReadLine();
        worker._process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Task.WhenAny(worker._ready.Task, worker._process.WaitForExitAsync(cts.Token));
        return worker._ready.Task.IsCompleted ? worker : throw new InvalidOperationException("The test worker did not start: " + worker.Output);
    }

    /// <summary>SIGKILL: no graceful shutdown, leases and dequeued messages are left behind.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            try
            {
                await WaitForExitAsync(TimeSpan.FromSeconds(20));
            }
            catch (OperationCanceledException)
            {
                Kill();
            }
        }

        _process.Dispose();
    }
}
