using System.Collections.Concurrent;
using System.Diagnostics;

namespace ChurnFlows.TestKit;

/// <summary>
/// A process a test starts and kills: its standard output and error are collected line by line, and
/// <see cref="StartAsync"/> returns once a line says it is ready (or throws with everything it printed).
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process, Func<string, bool> isReady)
    {
        _process = process;
        void Collect(string? line)
        {
            if (line is null)
            {
                return;
            }

            _output.Enqueue(line);
            if (isReady(line))
            {
                _ready.TrySetResult();
            }
        }

        _process.OutputDataReceived += (_, e) => Collect(e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data);
    }

    /// <summary>Gets everything the process printed so far, both streams interleaved.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>Gets whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="info"/> (its output streams are redirected here) and waits up to a minute for a line that <paramref name="isReady"/> accepts.</summary>
    /// <exception cref="InvalidOperationException">The process exited or stayed silent; the message holds its output.</exception>
    public static async Task<ChildProcess> StartAsync(ProcessStartInfo info, Func<string, bool> isReady)
    {
        ArgumentNullException.ThrowIfNull(info);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var child = new ChildProcess(Process.Start(info)!, isReady);
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        await Task.WhenAny(child._ready.Task, child._process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (!child._ready.Task.IsCompleted)
        {
            await child.DisposeAsync();
            throw new InvalidOperationException($"{Path.GetFileName(info.ArgumentList.FirstOrDefault() ?? info.FileName)} did not start:{Environment.NewLine}{child.Output}");
        }

        return child;
    }

    /// <summary>Kills the process tree at once (SIGKILL): no graceful shutdown.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>Closes the process's standard input (the graceful stop signal of processes that watch it); needs <see cref="ProcessStartInfo.RedirectStandardInput"/>.</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Waits for the process to exit; throws <see cref="OperationCanceledException"/> after <paramref name="timeout"/>.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
