using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ChurnFlows.Benchmarks.Serving;

/// <summary>
/// The native floor: <c>native_floor.c</c> (copied beside the suites), a minimal HTTP/1.1 server in C (one
/// SO_REUSEPORT listener and epoll loop a thread) that answers every GET with the app's constant <c>GET /</c>
/// body. Compiled with <c>gcc -O2 -pthread</c> into a temporary folder, deleted on dispose; it shows the
/// latency any server gets on this machine when it shares the cores with wrk.
/// </summary>
internal sealed class NativeFloor : IDisposable
{
    private const string ExecutableName = "native_floor";
    private readonly DirectoryInfo _folder;

    private NativeFloor(DirectoryInfo folder) => _folder = folder;

    private string Executable => Path.Combine(_folder.FullName, ExecutableName);

    /// <summary>Compiles the server into a new temporary folder, or returns null when gcc is not on PATH.</summary>
    public static async Task<NativeFloor?> CompileAsync()
    {
        if (!await LoadTools.IsOnPathAsync("gcc"))
        {
            return null;
        }

        var folder = Directory.CreateTempSubdirectory("churnflows-native-floor-");
        try
        {
            var source = Path.Combine(AppContext.BaseDirectory, "Serving", $"{ExecutableName}.c");
            await LoadTools.RunAsync("gcc", ["-O2", "-pthread", "-o", Path.Combine(folder.FullName, ExecutableName), source]);
            return new NativeFloor(folder);
        }
        catch
        {
            folder.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Starts the server with <paramref name="threads"/> threads on a free loopback port, waits until it accepts
    /// a connection, returns what <paramref name="measure"/> finds at its address and kills it, whatever happens.
    /// </summary>
    public async Task<T> ServeAsync<T>(int threads, Func<Uri, Task<T>> measure)
    {
        var port = ServedApp.FreeLoopbackPort();
        string[] arguments = [port.ToString(CultureInfo.InvariantCulture), threads.ToString(CultureInfo.InvariantCulture)];
        using var process = Process.Start(new ProcessStartInfo(Executable, arguments) { UseShellExecute = false })
            ?? throw new InvalidOperationException($"Could not start {Executable}.");
        try
        {
            await WaitUntilAcceptingAsync(process, port);
            return await measure(new Uri($"http://127.0.0.1:{port}/"));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
        }
    }

    /// <summary>Deletes the temporary folder with the compiled server.</summary>
    public void Dispose() => _folder.Delete(recursive: true);

    private static async Task WaitUntilAcceptingAsync(Process process, int port)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"The native floor did not accept a connection on port {port}.");
    }
}
