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
/// The cluster bus on PostgreSQL, one channel per schema. The store hands the moves of each transaction here once it has
/// committed (<see cref="Announce"/>); they, progress reports and controls changes go out from one loop, in the order
/// handed in, as many per statement as are waiting, with synchronous commit off (a notification is not data). A
/// transaction that announced inside itself would hold PostgreSQL's notification lock through its commit's WAL flush, and
/// every such commit on the server would wait for the one before it. Sent after commit, two nodes' notices of one task
/// can arrive out of order; receivers put each task's moves back in order (<see cref="TaskOrder"/>), and a notice lost
/// between commit and send is read back by the polling fallback.
/// </summary>
public sealed partial class PgClusterBus : IClusterBus, IAsyncDisposable
{
    /// <summary>How long a completion waits for the task's progress reports to go out before it goes anyway.</summary>
    public static readonly TimeSpan FlushBound = TimeSpan.FromSeconds(2);

    private const int MaxPerSend = 2_000;

    private int _disposed;
    private readonly PostgresDatabase _database;
    private readonly ILogger<PgClusterBus> _logger;
    private readonly ConcurrentQueue<Outgoing> _outbox = new();
    private readonly OwnPayloads _own = new();
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

    public bool Shared => true;

    /// <summary>Payloads of moves this node sent that its listener has not received yet.</summary>
    internal int OwnPending => _own.Count;

    /// <summary>A test's tap: notices it returns false for are dropped on arrival, as if the channel had lost them.</summary>
    internal Func<long, bool>? ArrivalFilter { get; set; }

    public void SendProgress(string taskId, long leaseToken, TaskProgress progress)
    {
        _outbox.Enqueue(new Outgoing(null, new PgProgressNotice(taskId, leaseToken, new JsonText(StoredJson.Write(progress)))));
        Interlocked.Increment(ref _queuedCount);
        _wake.Pulse();
    }

    public void SendControlsChanged()
    {
        Volatile.Write(ref _controls, 1);
        Interlocked.Increment(ref _queuedCount);
        _wake.Pulse();
    }

    public async Task SendWorkerCommandAsync(WorkerCommand command, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
        notify.Parameters.AddWithValue("channel", Channel);
        notify.Parameters.AddWithValue("payload", PgNotices.EncodeWorkerCommand(NodeId, command));
        await notify.ExecuteNonQueryAsync(cancellationToken);
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

    /// <summary>The batch a payload of moves this node sent was packed from, taken once; null for any other payload.</summary>
    internal PgNoticeBatch? TakeOwn(string payload) => _own.Take(payload);

    /// <summary>Announces moves a transaction committed, after the ones announced before (call it once the commit returned).</summary>
    internal void Announce(IReadOnlyList<PgMove> moves)
    {
        foreach (var move in moves)
        {
            _outbox.Enqueue(new Outgoing(PgNotices.Encode(move), null));
        }

        Interlocked.Add(ref _queuedCount, moves.Count);
        _wake.Pulse();
    }

    /// <summary>
    /// Tells every node, this one included, that the tasks of <paramref name="notices"/> (from
    /// <see cref="PgNotices.EncodeExpired"/>) expired: notified inside <paramref name="tx"/>, the transaction that deletes
    /// them, so the notices go out exactly when the deletes commit. Unlike a move's, a lost one cannot be read back (the
    /// task and its history are gone), hence not after the commit through the sender. The transaction holds PostgreSQL's
    /// notification lock through its commit: once per retention sweep, on the one node that leads it.
    /// </summary>
    internal async Task NotifyExpiredAsync(PgTransaction tx, IEnumerable<PgEncodedMove> notices, CancellationToken cancellationToken)
    {
        await using var command = tx.Command("SELECT pg_notify(@channel, payload) FROM unnest(@payloads) AS payload");
        command.Parameters.AddWithValue("channel", Channel);
        command.Parameters.AddWithValue("payloads", PgNotices.PackExpired(NodeId, notices));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task SendLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var wake = _wake.Next;
            var taken = new List<Outgoing>();
            while (taken.Count < MaxPerSend && _outbox.TryDequeue(out var item))
            {
                taken.Add(item);
            }

            var controls = Interlocked.Exchange(ref _controls, 0) == 1;
            if (taken.Count == 0 && !controls)
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

            var payloads = Payloads(taken, controls);
            try
            {
                await using var connection = await _database.OpenAsync(stopping);
                await using var command = new NpgsqlCommand(
                    "SELECT pg_notify(@channel, payload) FROM (SELECT set_config('synchronous_commit', 'off', true)) AS s, " +
                    "unnest(@payloads) AS payload", connection);
                command.Parameters.AddWithValue("channel", Channel);
                command.Parameters.AddWithValue("payloads", payloads.ToArray());
                await command.ExecuteNonQueryAsync(stopping);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                // Moves lost here are read back by every node's polling fallback; progress is best effort; controls are reloaded.
                _own.Forget(payloads);
                LogSendFailed(taken.Count, ex);
            }

            Interlocked.Add(ref _sentCount, taken.Count + (controls ? 1 : 0));
            _sent.Pulse();
        }
    }

    /// <summary>The payloads of <paramref name="taken"/>, in order: each run of moves, and of progress reports, packed together.</summary>
    private List<string> Payloads(List<Outgoing> taken, bool controls)
    {
        var payloads = new List<string>();
        for (var start = 0; start < taken.Count;)
        {
            var moves = taken[start].Move is not null;
            var end = start;
            while (end < taken.Count && taken[end].Move is not null == moves)
            {
                end++;
            }

            var run = taken.Skip(start).Take(end - start);
            if (moves)
            {
                foreach (var (payload, batch) in PgNotices.PackMoves(NodeId, run.Select(o => o.Move!.Value)))
                {
                    _own.Add(payload, batch);
                    payloads.Add(payload);
                }
            }
            else
            {
                payloads.AddRange(PgNotices.EncodeProgress(NodeId, run.Select(o => o.Report!), false));
            }

            start = end;
        }

        if (controls)
        {
            payloads.AddRange(PgNotices.EncodeProgress(NodeId, [], true));
        }

        return payloads;
    }

    /// <summary>One notice waiting to go out: a move (encoded) or a progress report.</summary>
    private readonly record struct Outgoing(PgEncodedMove? Move, PgProgressNotice? Report);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "Sending {Count} notices to the cluster failed; they are dropped (the polling fallback reads the moves back)")]
    private partial void LogSendFailed(int count, Exception exception);
}
