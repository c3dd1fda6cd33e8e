using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ChurnFlows.Functions.Hosting.Azurite;

/// <summary>
/// A running Azurite (blob, queue and table) started from the pinned npm package, on chosen or
/// free ports, with its own data folder. Disposing stops it gracefully (so it saves its data), then
/// kills what is left of the process tree; when this process exits first, it is killed at once.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDirectory;
    private readonly bool _ownsDataDirectory;
    private readonly StringBuilder _stderr;

    private AzuriteProcess(Process process, string dataDirectory, bool ownsDataDirectory, StringBuilder stderr, int blob, int queue, int table)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        _stderr = stderr;
        BlobPort = blob;
        QueuePort = queue;
        TablePort = table;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>Gets the blob port.</summary>
    public int BlobPort { get; }

    /// <summary>Gets the queue port.</summary>
    public int QueuePort { get; }

    /// <summary>Gets the table port.</summary>
    public int TablePort { get; }

    /// <summary>The well-known development account's name, which <c>UseDevelopmentStorage=true</c> also means.</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    // Azurite's published, well-known development key: not a secret.
    private const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Gets the connection string for the well-known development account on these ports.</summary>
    public string ConnectionString => ConnectionStringFor(BlobPort, QueuePort, TablePort);

    /// <summary>Returns the connection string of the well-known development account served on 127.0.0.1 at the given ports.</summary>
    public static string ConnectionStringFor(int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName={DevelopmentAccountName};AccountKey={DevelopmentAccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{Text(blobPort)}/{DevelopmentAccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{Text(queuePort)}/{DevelopmentAccountName};" +
        $"TableEndpoint=http://127.0.0.1:{Text(tablePort)}/{DevelopmentAccountName};";

    /// <summary>Installs Azurite if needed, starts it, and waits until all three services accept connections.</summary>
    /// <exception cref="InvalidOperationException">Azurite could not be installed, exited, or did not answer in time; the message carries its error output.</exception>
    public static async Task<AzuriteProcess> StartAsync(AzuriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AzuriteOptions();
        var script = await AzuriteInstaller.EnsureInstalledAsync(options.ToolRoot, cancellationToken).ConfigureAwait(false);
        var owns = options.DataDirectory is null;
        var data = options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "churnflows-azurite-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(data);
        int blob = Port(options.BlobPort), queue = Port(options.QueuePort), table = Port(options.TablePort);
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            script, "--silent", "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl",
            "--blobHost", "127.0.0.1", "--blobPort", Text(blob), "--queueHost", "127.0.0.1", "--queuePort", Text(queue),
            "--tableHost", "127.0.0.1", "--tablePort", Text(table),
        })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var arg in options.InMemoryPersistence ? ["--inMemoryPersistence"] : new[] { "--location", data })
        {
            start.ArgumentList.Add(arg);
        }

        var stderr = new StringBuilder();
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start; install Node.js 20+.");
        process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var azurite = new AzuriteProcess(process, data, owns, stderr, blob, queue, table);
        try
        {
            await azurite.WaitUntilListeningAsync(options.StartTimeout, cancellationToken).ConfigureAwait(false);
            return azurite;
        }
        catch
        {
            await azurite.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Returns whether something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<bool> IsListeningAsync(int port, CancellationToken cancellationToken = default)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        Stop(graceful: true);
        _process.Dispose();
        if (_ownsDataDirectory)
        {
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by the dying process; the temp folder is cleaned by the OS.
            }
        }

        return ValueTask.CompletedTask;
    }

    private async Task WaitUntilListeningAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        foreach (var port in new[] { BlobPort, QueuePort, TablePort })
        {
            while (!await IsListeningAsync(port, cancellationToken).ConfigureAwait(false))
            {
                if (_process.HasExited || deadline.Elapsed > timeout)
                {
                    string error;
                    lock (_stderr)
                    {
                        error = _stderr.ToString().Trim();
                    }

                    var state = _process.HasExited ? $"exited with code {_process.ExitCode}" : $"did not listen on port {port} within {timeout.TotalSeconds:0} s";
                    throw new InvalidOperationException($"Azurite {state}. {(error.Length > 0 ? "Its error output: " + error[^Math.Min(error.Length, 2000)..] : string.Empty)}");
                }

                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // At process exit there is no time for a graceful stop; the data folder is a scratch one then.
    private void OnProcessExit(object? sender, EventArgs e) => Stop(graceful: false);

    private void Stop(bool graceful)
    {
        try
        {
            if (graceful && !_process.HasExited && !OperatingSystem.IsWindows())
            {
                // Azurite keeps its metadata in memory and saves it on a graceful exit; a hard kill can lose recent writes.
                _ = NativeMethods.SendSignal(_process.Id, NativeMethods.TerminateSignal);
                _process.WaitForExit(5000);
            }

            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static int Port(int requested)
    {
        if (requested != 0)
        {
            return requested;
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
