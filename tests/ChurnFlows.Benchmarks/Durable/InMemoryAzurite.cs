using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ChurnFlows.Benchmarks.Durable;

/// <summary>
/// An Azurite of this suite's own that keeps its data in memory (<c>--inMemoryPersistence</c>: queue message
/// texts are not written and synced to disk one at a time), from the repository's pinned npm package, on free
/// ports. The shared test Azurite keeps its data on disk.
/// </summary>
internal sealed class InMemoryAzurite : IAsyncDisposable
{
    private const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process _process;

    private InMemoryAzurite(Process process, int blob, int queue, int table)
    {
        _process = process;
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};"
            + $"BlobEndpoint=http://127.0.0.1:{blob}/{Account};QueueEndpoint=http://127.0.0.1:{queue}/{Account};TableEndpoint=http://127.0.0.1:{table}/{Account};";
    }

    /// <summary>Gets the connection string of the well-known development account on this Azurite's ports.</summary>
    public string ConnectionString { get; }

    /// <summary>Starts Azurite (installed by the test kit's build, <c>npm ci</c> in the repository root) and waits until its three services listen.</summary>
    public static async Task<InMemoryAzurite> StartAsync()
    {
        var script = new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory }
            .SelectMany(start => Ancestors(new DirectoryInfo(start)))
            .Select(dir => Path.Combine(dir.FullName, "node_modules", "azurite", "dist", "src", "azurite.js"))
            .FirstOrDefault(File.Exists) ?? throw new InvalidOperationException("Azurite is not installed: run `npm ci` in the repository root.");
        int[] ports = [FreePort(), FreePort(), FreePort()];
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { script, "--silent", "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl", "--inMemoryPersistence" })
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (service, port) in new[] { "blob", "queue", "table" }.Zip(ports))
        {
            info.ArgumentList.Add($"--{service}Host");
            info.ArgumentList.Add("127.0.0.1");
            info.ArgumentList.Add($"--{service}Port");
            info.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start; install Node.js 20+.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new InMemoryAzurite(process, ports[0], ports[1], ports[2]);
        var deadline = Stopwatch.StartNew();
        foreach (var port in ports)
        {
            while (!await IsListeningAsync(port))
            {
                if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60))
                {
                    await azurite.DisposeAsync();
                    throw new InvalidOperationException($"Azurite did not listen on port {port}.");
                }

                await Task.Delay(100);
            }
        }

        return azurite;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true); // in memory: nothing to save
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static IEnumerable<DirectoryInfo> Ancestors(DirectoryInfo? dir)
    {
        for (; dir is not null; dir = dir.Parent)
        {
            yield return dir;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
