using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ChurnFlows.Benchmarks.Serving;

/// <summary>
/// The real ChurnFlows executable (the Release build copied beside the benchmarks), started in its own
/// process on a free loopback port, standalone, in Production, with the settings it ships with (its appsettings.json:
/// console logging at Information, ASP.NET Core's at Warning).
/// </summary>
internal sealed class ServedApp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private bool _disposed;

    private ServedApp(Process process, int port)
    {
        _process = process;
        Port = port;
        _process.OutputDataReceived += (_, e) => Collect(e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data);
    }

    /// <summary>Gets the loopback port the app listens on.</summary>
    public int Port { get; }

    /// <summary>Gets the app's base address.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>Gets what the app wrote to its console.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>Starts the app against <paramref name="storageConnectionString"/>, with <paramref name="environment"/> added to its environment, and waits until it answers.</summary>
    public static async Task<ServedApp> StartAsync(string storageConnectionString, string taskHub, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ChurnFlows.Functions.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("The app is not beside the benchmarks; build them (the project references src/ChurnFlows.Functions).", dll);
        }

        var port = FreeLoopbackPort();
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["AzureWebJobsStorage"] = storageConnectionString;
        info.Environment["ChurnFlows__HostMode"] = "Standalone";
        info.Environment["ChurnFlows__TaskHub"] = taskHub;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var app = new ServedApp(Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet."), port);
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90) && !app._process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync(new Uri("/", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return app;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        var output = app.Output;
        await app.DisposeAsync();
        throw new InvalidOperationException($"The app did not answer on port {port}:{Environment.NewLine}{output}");
    }

    /// <summary>Stops the app (it is killed; the prediction log is read only after its count settles).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>Returns a loopback port nobody listens on right now.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void Collect(string? line)
    {
        if (line is not null && _output.Count < 2000)
        {
            _output.Enqueue(line);
        }
    }
}
