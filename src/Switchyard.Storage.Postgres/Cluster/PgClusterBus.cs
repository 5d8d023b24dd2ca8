using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Switchyard.Core.Cluster;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Postgres.Cluster;

/// <summary>
/// The cluster bus on PostgreSQL, one channel per schema. Moves are announced by the store inside the transaction that
/// makes them (see <see cref="NotifyMovesAsync"/>): PostgreSQL delivers a notification at commit and in commit order, so
/// every node reads each task's moves in the order they happened. Progress reports and controls changes are sent from
/// here by one loop, as many per statement as are waiting, with synchronous commit off (a notification is not data).
/// </summary>
public sealed partial class PgClusterBus : IClusterBus, IAsyncDisposable
{
    /// <summary>How long a completion waits for the task's progress reports to go out before it goes anyway.</summary>
    public static readonly TimeSpan FlushBound = TimeSpan.FromSeconds(2);

    private const int MaxPerSend = 2_000;
    private const string NotifyEach = "SELECT pg_notify(@channel, payload) FROM unnest(@payloads) AS payload";

    private int _disposed;
    private readonly PostgresDatabase _database;
    private readonly ILogger<PgClusterBus> _logger;
    private readonly ConcurrentQueue<PgProgressNotice> _progress = new();
    private readonly WorkSignal _wake = new();
    private readonly WorkSignal _sent = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _sender;
    private long _queuedCount;
    private long _sentCount;
    private int _controls;

    public PgClusterBus(PostgresDatabase database, IOptions<ClusterOptions> options, ILogger<PgClusterBus> logger)
    {
        var problems = options.Value.Validate();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(ClusterOptions.Section, typeof(ClusterOptions), problems);
        }

        _database = database;
        _logger = logger;
        Options = options.Value;
        NodeId = Options.ResolveNodeId();
        Channel = PgChannel.For(database.Options.Schema);
        _sender = Task.Run(() => SendLoopAsync(_stopping.Token));
    }

    public ClusterOptions Options { get; }

    public string NodeId { get; }

    /// <summary>The schema's notification channel.</summary>
    public string Channel { get; }

    public bool RoundTrip => true;

    /// <summary>A test's tap: notices it returns false for are dropped on arrival, as if the channel had lost them.</summary>
    internal Func<long, bool>? ArrivalFilter { get; set; }

    public void SendProgress(string taskId, long leaseToken, TaskProgress progress)
    {
        _progress.Enqueue(new PgProgressNotice(taskId, leaseToken, new JsonText(StoredJson.Write(progress))));
        Interlocked.Increment(ref _queuedCount);
        _wake.Pulse();
    }

    public void SendControlsChanged()
    {
        Volatile.Write(ref _controls, 1);
        Interlocked.Increment(ref _queuedCount);
        _wake.Pulse();
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        var target = Interlocked.Read(ref _queuedCount);
        var until = TimeProvider.System.GetTimestamp() + (long)(FlushBound.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (Interlocked.Read(ref _sentCount) < target)
        {
            var sent = _sent.Next;
            if (Interlocked.Read(ref _sentCount) >= target)
            {
                return;
            }

            var left = TimeProvider.System.GetElapsedTime(TimeProvider.System.GetTimestamp(), until);
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            try
            {
                await sent.WaitAsync(left, cancellationToken);
            }
            catch (TimeoutException)
            {
                return; // the database is away: the task ends anyway, its last reports may follow it or be lost
            }
        }
    }

    /// <summary>Stops the sender; idempotent (the container disposes it once per contract it is registered under).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _sender.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    /// <summary>Announces the moves <paramref name="transaction"/> wrote, inside it: delivered when it commits, never if it does not.</summary>
    internal async Task NotifyMovesAsync(PgTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = transaction.Command(NotifyEach);
        command.Parameters.AddWithValue("channel", Channel);
        command.Parameters.AddWithValue("payloads", PgNotices.EncodeMoves(NodeId, transaction.Moves).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task SendLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var wake = _wake.Next;
            var reports = new List<PgProgressNotice>();
            while (reports.Count < MaxPerSend && _progress.TryDequeue(out var report))
            {
                reports.Add(report);
            }

            var controls = Interlocked.Exchange(ref _controls, 0) == 1;
            if (reports.Count == 0 && !controls)
            {
                try
                {
                    await wake.WaitAsync(stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            try
            {
                await using var connection = await _database.OpenAsync(stopping);
                await using var command = new NpgsqlCommand(
                    "SELECT pg_notify(@channel, payload) FROM (SELECT set_config('synchronous_commit', 'off', true)) AS s, " +
                    "unnest(@payloads) AS payload", connection);
                command.Parameters.AddWithValue("channel", Channel);
                command.Parameters.AddWithValue("payloads", PgNotices.EncodeProgress(NodeId, reports, controls).ToArray());
                await command.ExecuteNonQueryAsync(stopping);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                LogSendFailed(reports.Count, ex); // progress is best effort; the polling fallback reloads controls
            }

            Interlocked.Add(ref _sentCount, reports.Count + (controls ? 1 : 0));
            _sent.Pulse();
        }
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "Sending {Count} progress notices to the cluster failed; they are dropped")]
    private partial void LogSendFailed(int count, Exception exception);
}
