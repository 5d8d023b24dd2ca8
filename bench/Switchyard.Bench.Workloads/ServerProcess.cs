using System.Text.RegularExpressions;

namespace Switchyard.Bench.Workloads;

/// <summary>
/// <c>switchyard serve</c> as its own process on a free port of 127.0.0.1 with a fresh data folder (and, on PostgreSQL,
/// a fresh schema: <see cref="BenchDatabase"/>); disposing it kills the process and deletes both.
/// </summary>
internal sealed partial class ServerProcess : IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);
    private readonly ChildProcess _process;
    private readonly BenchDatabase _database;

    private ServerProcess(ChildProcess process, string data, BenchDatabase database, Uri address)
    {
        _process = process;
        Data = data;
        _database = database;
        Address = address;
    }

    public Uri Address { get; }

    public string Data { get; }

    public int Pid => _process.Pid;

    public static async Task<ServerProcess> StartAsync(PeerBenchOptions options, string durability, CancellationToken cancellationToken)
    {
        var data = Directory.CreateTempSubdirectory("switchyard-peerbench-").FullName;
        var database = BenchDatabase.For(options);
        ChildProcess? process = null;
        try
        {
            process = ChildProcess.Start(
                options.Command.StartInfo(["serve", "--host", "127.0.0.1", "--port", "0", "--data", data, "--durability", durability, .. database.ServeArgs()]),
                "switchyard serve");
            var line = await process.WaitForLineAsync(l => Listening().IsMatch(l), StartLimit, cancellationToken);
            return new ServerProcess(process, data, database, new Uri(Listening().Match(line).Groups[1].Value));
        }
        catch
        {
            process?.Dispose();
            database.Dispose();
            Directory.Delete(data, recursive: true);
            throw;
        }
    }

    /// <summary>See <see cref="BenchDatabase.CheckpointAsync"/>.</summary>
    public Task<bool> CheckpointAsync(CancellationToken cancellationToken) => _database.CheckpointAsync(cancellationToken);

    /// <summary>The server's last log lines, for an error message.</summary>
    public string Tail() => _process.Tail();

    public void Dispose()
    {
        _process.Dispose();
        _database.Dispose();
        try
        {
            Directory.Delete(Data, recursive: true);
        }
        catch (IOException ex)
        {
            throw new IOException($"The server's data folder {Data} could not be deleted: {ex.Message}", ex);
        }
    }

    [GeneratedRegex(@"listening on (http://[^\s,]+)")]
    private static partial Regex Listening();
}
