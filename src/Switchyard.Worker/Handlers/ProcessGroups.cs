using System.Runtime.InteropServices;

namespace Switchyard.Worker.Handlers;

/// <summary>Signals a whole process group (POSIX <c>kill(-pgid, sig)</c>), so a command's children end with it.</summary>
internal static partial class ProcessGroups
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>Where <c>setsid</c> is, to start a command in a session and process group of its own; null without it.</summary>
    public static string? Setsid { get; } = OperatingSystem.IsWindows()
        ? null
        : new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    /// <summary>Sends <paramref name="signal"/> to every process of group <paramref name="groupId"/>; false when none is left.</summary>
    public static bool Signal(int groupId, int signal) => !OperatingSystem.IsWindows() && Kill(-groupId, signal) == 0;

    /// <summary>Sends <paramref name="signal"/> to one process only.</summary>
    public static bool SignalProcess(int processId, int signal) => !OperatingSystem.IsWindows() && Kill(processId, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Kill(int pid, int signal);
}
