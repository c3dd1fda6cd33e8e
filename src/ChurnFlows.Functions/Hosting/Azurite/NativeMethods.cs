using System.Runtime.InteropServices;

namespace ChurnFlows.Functions.Hosting.Azurite;

/// <summary>POSIX signals, to let Azurite flush its data before it stops.</summary>
internal static partial class NativeMethods
{
    /// <summary>SIGTERM.</summary>
    public const int TerminateSignal = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int SendSignal(int processId, int signal);
}
