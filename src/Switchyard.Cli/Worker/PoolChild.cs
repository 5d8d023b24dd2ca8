using System.Diagnostics;
using Switchyard.Worker.Handlers;

namespace Switchyard.Cli.Worker;

/// <summary>
/// One worker process of a pool, in a session of its own (through <c>setsid</c>), so a Ctrl+C at the terminal reaches
/// only the pool, which forwards it. Its stdin is a pipe the pool holds open: when the pool dies, the child sees the
/// end of it and stops.
/// </summary>
internal sealed class PoolChild : IDisposable
{
    private readonly Process _process;

    private PoolChild(int slot, Process process, DateTimeOffset startedAt)
    {
        Slot = slot;
        _process = process;
        StartedAt = startedAt;
        Exited = process.WaitForExitAsync();
    }

    public int Slot { get; }

    public int Id => _process.Id;

    public DateTimeOffset StartedAt { get; }

    /// <summary>The pool asked it to stop (scale down, shutdown): its exit is no crash.</summary>
    public bool Stopping { get; private set; }

    public Task Exited { get; }

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public static PoolChild Start(int slot, ChildCommand command, DateTimeOffset now)
    {
        var setsid = ProcessGroups.Setsid;
        var start = new ProcessStartInfo(setsid ?? command.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
        };
        if (setsid is not null)
        {
            start.ArgumentList.Add(command.FileName);
        }

        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[ParentWatch.Variable] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"'{command.FileName}' did not start.");
        return new PoolChild(slot, process, now);
    }

    /// <summary>SIGTERM: the first one lets it finish its tasks within its grace period, a second one stops it now.</summary>
    public void Terminate()
    {
        Stopping = true;
        ProcessGroups.SignalProcess(_process.Id, ProcessGroups.SigTerm);
    }

    public void Kill()
    {
        Stopping = true;
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
        }

        _process.Dispose();
    }
}
