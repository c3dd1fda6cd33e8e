using System.Diagnostics;
using System.Reflection;
using ChurnFlows.TestKit;

namespace ChurnFlows.Durable.AzureStorage.Tests;

/// <summary>A test worker in its own process (the TestWorker project), stopped by closing its input or killed outright.</summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private WorkerProcess(ChildProcess process) => _process = process;

    public string Output => _process.Output;

    public bool HasExited => _process.HasExited;

    public static async Task<WorkerProcess> StartAsync(string hubName, string sideEffectTable, string? killAt = null, int activityDelayMs = 5)
    {
        var dll = typeof(WorkerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TestWorkerPath").Value!;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true };
        foreach (var arg in new[] { dll, await AzuriteFixture.GetConnectionStringAsync(), hubName, sideEffectTable })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["CHURNFLOWS_ACTIVITY_DELAY_MS"] = activityDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (killAt is not null)
        {
            info.Environment["CHURNFLOWS_KILL_AT"] = killAt;
        }

        return new WorkerProcess(await ChildProcess.StartAsync(info, line => line == "ready"));
    }

    /// <summary>SIGKILL: no graceful shutdown, leases and dequeued messages are left behind.</summary>
    public void Kill() => _process.Kill();

    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.CloseInput();
            try
            {
                await _process.WaitForExitAsync(TimeSpan.FromSeconds(20));
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }

        await _process.DisposeAsync();
    }
}
