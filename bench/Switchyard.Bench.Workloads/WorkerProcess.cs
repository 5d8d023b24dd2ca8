using System.Globalization;

namespace Switchyard.Bench.Workloads;

/// <summary>The bench's side of a <see cref="BenchWorker"/> process: start it, end its warm-up, let it go, stop it.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(15);
    private readonly ChildProcess _process;

    private WorkerProcess(ChildProcess process) => _process = process;

    public static async Task<WorkerProcess> StartAsync(SwitchyardCommand command, Uri server, int capacity, bool warmup, CancellationToken cancellationToken)
    {
        string[] arguments = ["bench", "worker", "--server", server.ToString(), "--capacity", capacity.ToString(CultureInfo.InvariantCulture)];
        var process = ChildProcess.Start(command.StartInfo(warmup ? [.. arguments, "--warmup"] : arguments), "the bench worker");
        try
        {
            await process.WaitForLineAsync(l => l == BenchWorker.Ready, AnswerLimit, cancellationToken);
            return new WorkerProcess(process);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>Stops the warm-up worker; returns once it has.</summary>
    public Task EndWarmupAsync(CancellationToken cancellationToken) => AskAsync(BenchWorker.EndWarmup, BenchWorker.Warmed, cancellationToken);

    /// <summary>Connects the bench worker; returns once it takes tasks.</summary>
    public Task GoAsync(CancellationToken cancellationToken) => AskAsync(BenchWorker.Go, BenchWorker.Started, cancellationToken);

    /// <summary>Asks the process to stop and waits for it; <see cref="Dispose"/> kills it if it does not.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await _process.WriteLineAsync(BenchWorker.Stop);
            }
            catch (IOException)
            {
                // It has gone already.
            }

            await _process.CloseInputAndWaitAsync(StopLimit);
        }
    }

    public void Dispose() => _process.Dispose();

    private async Task AskAsync(string request, string answer, CancellationToken cancellationToken)
    {
        await _process.WriteLineAsync(request);
        await _process.WaitForLineAsync(l => l == answer, AnswerLimit, cancellationToken);
    }
}
