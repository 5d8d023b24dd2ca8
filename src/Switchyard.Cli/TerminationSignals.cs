using System.Runtime.InteropServices;

namespace Switchyard.Cli;

/// <summary>
/// Ctrl+C and SIGTERM in two steps: the first cancels <see cref="Stopping"/> (finish what is running, take nothing new),
/// the second cancels <see cref="Aborting"/> (stop now); a third is left to the runtime, which ends the process.
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _aborting = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _count;

    public TerminationSignals()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    public CancellationToken Stopping => _stopping.Token;

    public CancellationToken Aborting => _aborting.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stopping.Dispose();
        _aborting.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        switch (Interlocked.Increment(ref _count))
        {
            case 1:
                context.Cancel = true;
                _stopping.Cancel();
                break;
            case 2:
                context.Cancel = true;
                _aborting.Cancel();
                break;
            default:
                break;
        }
    }
}
