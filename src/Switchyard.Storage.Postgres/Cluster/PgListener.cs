using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Switchyard.Core;
using Switchyard.Core.Cluster;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Postgres.Cluster;

/// <summary>
/// A node's ear on the cluster: one dedicated connection LISTENs on the schema's channel (reconnecting with backoff), and
/// one flow hands what arrives to the <see cref="ClusterInbox"/>, each task's moves in their order (<see cref="TaskOrder"/>
/// holds a notice that overtook an earlier move of its task). The same flow runs the polling fallback every
/// <see cref="ClusterOptions.PollMs"/> and at once after a reconnect: it reads back the moves of held notices' tasks that
/// did not come in time, and the moves whose notifications never came (see <see cref="HistoryGaps"/>), then lets the
/// inbox catch up (work, waiters, controls). A recovered move older than one already delivered for its task is skipped:
/// each task's events stay in order.
/// </summary>
public sealed partial class PgListener : BackgroundService
{
    private const int ReadLimit = 2_000;

    /// <summary>Polls a gap must stay open before it is read back: long enough for a busy listener to catch up first.</summary>
    private const int GracePolls = 5;

    /// <summary>How long a notice that overtook an earlier move of its task waits for it before that move is read back.</summary>
    private const long HoldMs = 100;
    private static readonly TimeSpan GapLifetime = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(50);

    private readonly Channel<Item> _items = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HistoryGaps _gaps = new();
    private readonly TaskOrder _order = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PostgresDatabase _database;
    private readonly PgClusterBus _bus;
    private readonly ClusterInbox _inbox;
    private readonly TimeProvider _time;
    private readonly ILogger<PgListener> _logger;
    private readonly PgRemoteWorkers? _workers;
    private readonly Meter? _meter;
    private volatile bool _connected;
    private int _tickPending;
    private long _reconnects;
    private long _recovered;
    private long _stale;
    private long _orderStale;

    public PgListener(
        PostgresDatabase database, PgClusterBus bus, ClusterInbox inbox, TimeProvider time, ILogger<PgListener> logger, IMeterFactory? meters = null,
        PgRemoteWorkers? workers = null)
    {
        _workers = workers;
        _database = database;
        _bus = bus;
        _inbox = inbox;
        _time = time;
        _logger = logger;
        if (meters is not null)
        {
            _meter = meters.Create(SwitchyardMeter.Name);
            _meter.CreateObservableGauge("cluster.listening", () => _connected ? 1 : 0, null, "1 while the node's listening connection is up");
            _meter.CreateObservableCounter("cluster.reconnects", () => Interlocked.Read(ref _reconnects), "{reconnect}", "Times the listening connection came back");
            _meter.CreateObservableCounter("cluster.moves.received", () => _inbox.Received.All, "{move}", "Moves received from the cluster (this node's too)");
            _meter.CreateObservableCounter("cluster.moves.recovered", () => Interlocked.Read(ref _recovered), "{move}",
                "Moves whose notification never came, read back by the polling fallback");
            _meter.CreateObservableCounter("cluster.moves.stale", () => Interlocked.Read(ref _stale) + Volatile.Read(ref _orderStale), "{move}",
                "Recovered moves skipped because a later move of their task was delivered first");
        }
    }

    /// <summary>Completes once the node first listens: every move committed from then on reaches it.</summary>
    public Task Started => _started.Task;

    /// <summary>True while the listening connection is up.</summary>
    public bool Listening => _connected;

    /// <summary>Moves the polling fallback read back because their notification never came.</summary>
    public long Recovered => Interlocked.Read(ref _recovered);

    public override void Dispose()
    {
        _meter?.Dispose();
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ListenAsync(stoppingToken), TickAsync(stoppingToken), ProcessAsync(stoppingToken));

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var pause = FirstPause;
        var first = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _database.OpenDedicatedAsync(stoppingToken);
                connection.Notification += (_, e) => _items.Writer.TryWrite(new Item(ItemKind.Payload, e.Payload));
                await using (var listen = new NpgsqlCommand($"LISTEN \"{_bus.Channel}\"", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                var max = await MaxHistoryIdAsync(connection, stoppingToken);
                _items.Writer.TryWrite(new Item(first ? ItemKind.Started : ItemKind.Reconnected, Max: max));
                if (!first)
                {
                    Interlocked.Increment(ref _reconnects);
                }

                first = false;
                _connected = true;
                pause = FirstPause;
                LogListening(_bus.NodeId, _bus.Channel);
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogListenFailed(pause.TotalMilliseconds, ex);
                _connected = false;
                try
                {
                    await Task.Delay(pause, _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, _bus.Options.ReconnectMaxMs));
            }
        }
    }

    private async Task TickAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_bus.Options.PollMs), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (Interlocked.Exchange(ref _tickPending, 1) == 0)
                {
                    _items.Writer.TryWrite(new Item(ItemKind.Tick));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ProcessAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var item in _items.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await HandleAsync(item, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogHandleFailed(item.Kind.ToString(), ex); // a notice whose extras could not be read, a fallback round that failed
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task HandleAsync(Item item, CancellationToken cancellationToken)
    {
        switch (item.Kind)
        {
            case ItemKind.Payload:
                await ReceiveAsync(item.Payload!, cancellationToken);
                break;
            case ItemKind.Started:
                _gaps.Observe(item.Max, Now);
                _started.TrySetResult();
                break;
            case ItemKind.Reconnected:
                _gaps.Reconnected(item.Max, Now);
                await CatchUpAsync(cancellationToken);
                break;
            case ItemKind.Tick:
                Volatile.Write(ref _tickPending, 0);
                await CatchUpAsync(cancellationToken);
                break;
        }
    }

    private async Task ReceiveAsync(string payload, CancellationToken cancellationToken)
    {
        if ((_bus.TakeOwn(payload) ?? PgNotices.Decode(payload)) is not { } batch)
        {
            return;
        }

        var fromThisNode = batch.Origin == _bus.NodeId;
        if ((batch.Expired is null ? batch.Moves : [.. batch.Moves ?? [], .. batch.Expired]) is { Length: > 0 } notices)
        {
            var now = Now;
            var filter = _bus.ArrivalFilter;
            var ready = new List<TaskOrder.Waiting>(notices.Length);
            // An expiry's history id is its task's last move's, heard of already (or never coming): it is no history id's notice.
            foreach (var notice in notices.Where(n => n.Expired || (filter?.Invoke(n.HistoryId) != false && _gaps.Accept(n.HistoryId, now))))
            {
                var earlierMayCome = notice.From is not null && !_order.Knows(notice.Id)
                    && _gaps.RecentGapBelow(notice.HistoryId + (notice.Expired ? 1 : 0), now - (GracePolls * (long)_bus.Options.PollMs));
                _order.Arrive(notice, batch.Origin, now, ready, earlierMayCome);
            }

            if (ready.Count > 0)
            {
                var thin = ready.Where(w => w.Notice is { Thin: true, Expired: false }).Select(w => w.Notice.Id).ToArray();
                var stored = thin.Length > 0 ? await LoadAsync(thin, cancellationToken) : null;
                _inbox.Deliver(ready.Select(w => ToMove(w, stored?.GetValueOrDefault(w.Notice.Id))).ToArray());
            }

            Volatile.Write(ref _orderStale, _order.Stale);
        }

        foreach (var report in batch.Progress ?? [])
        {
            _inbox.Progress(report.TaskId, report.LeaseToken, StoredJson.ReadProgress(report.Progress.Raw), fromThisNode);
        }

        foreach (var command in batch.Commands ?? [])
        {
            if (command.NodeId == _bus.NodeId)
            {
                _inbox.WorkerCommand(command.ToCommand());
            }
        }

        if (batch.Controls && !fromThisNode)
        {
            await _inbox.ReloadControlsAsync(cancellationToken);
        }

        if (batch.Workers && !fromThisNode && _workers is not null)
        {
            await _workers.ReloadAsync(cancellationToken);
        }
    }

    /// <summary>The polling fallback: moves whose notifications never came, then the inbox's share (work, waiters, controls).</summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        await using (var connection = await _database.OpenAsync(cancellationToken))
        {
            await ReadOverdueAsync(connection, now, cancellationToken);
            _gaps.Observe(await MaxHistoryIdAsync(connection, cancellationToken), now);
            var due = _gaps.Due(now - (GracePolls * (long)_bus.Options.PollMs));
            while (due.Count > 0)
            {
                var rows = await PgMissedMoves.ReadAsync(connection, due, ReadLimit, cancellationToken);
                var moves = new List<ClusterMove>(rows.Count);
                foreach (var row in rows)
                {
                    var task = row.Move.Move.Task;
                    if (!_order.Knows(task.Id) && row.Latest > row.HistoryId && _gaps.Delivered(row.Latest))
                    {
                        _gaps.Recovered(row.HistoryId, now);
                        Interlocked.Increment(ref _stale); // a later move of a task not followed here went out already
                        continue;
                    }

                    Recover(row, now, moves);
                }

                if (moves.Count > 0)
                {
                    LogRecovered(moves.Count);
                    _inbox.Deliver(moves);
                }

                due = rows.Count < ReadLimit ? [] : _gaps.Due(now - (GracePolls * (long)_bus.Options.PollMs));
            }

            _order.Expire(now - (long)GapLifetime.TotalMilliseconds);
            Volatile.Write(ref _orderStale, _order.Stale);
            _gaps.Expire(now - (long)GapLifetime.TotalMilliseconds);
        }

        await _inbox.CatchUpAsync(cancellationToken);
    }

    /// <summary>Reads back the missing moves of tasks whose held notices waited long enough, and sends them out in order.</summary>
    private async Task ReadOverdueAsync(NpgsqlConnection connection, long now, CancellationToken cancellationToken)
    {
        foreach (var (taskId, after, before) in _order.Overdue(now - HoldMs))
        {
            var moves = new List<ClusterMove>();
            foreach (var row in await PgMissedMoves.ReadTaskAsync(connection, taskId, after, before, cancellationToken))
            {
                if (after > 0 || !_gaps.Delivered(row.HistoryId))
                {
                    Recover(row, now, moves); // for a task not heard of, only the moves this node has not delivered
                }
            }

            var ready = new List<TaskOrder.Waiting>();
            _order.Flush(taskId, now, ready);
            moves.AddRange(ready.Select(w => ToMove(w, null)));
            _inbox.Deliver(moves);
        }
    }

    /// <summary>A move read back from the history table goes out, unless a later move of its task did; held notices it unblocks follow it.</summary>
    private void Recover(PgMissedMoves.Row row, long now, List<ClusterMove> moves)
    {
        _gaps.Recovered(row.HistoryId, now);
        var task = row.Move.Move.Task;
        var released = new List<TaskOrder.Waiting>();
        if (_order.Recovered(task.Id, row.HistoryId, task.State.ToName(), now, released))
        {
            Interlocked.Increment(ref _recovered);
            moves.Add(row.Move);
            moves.AddRange(released.Select(w => ToMove(w, null)));
        }
    }

    private ClusterMove ToMove(TaskOrder.Waiting waiting, TaskRecord? stored) => PgNotices.ToMove(waiting.Notice, _bus.NodeId, waiting.Origin, stored);

    private async Task<Dictionary<string, TaskRecord>> LoadAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {PgTaskRows.Columns} FROM tasks WHERE id = ANY(@ids)", connection);
        command.Parameters.AddWithValue("ids", ids.Distinct().ToArray());
        return (await PgTransaction.LoadManyAsync(command, cancellationToken)).ToDictionary(r => r.Task.Id, r => r.Task, StringComparer.Ordinal);
    }

    private static async Task<long> MaxHistoryIdAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT coalesce(max(id), 0) FROM task_history", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private enum ItemKind
    {
        Payload,
        Started,
        Reconnected,
        Tick,
    }

    private readonly record struct Item(ItemKind Kind, string? Payload = null, long Max = 0);

    [LoggerMessage(EventId = 2311, Level = LogLevel.Information, Message = "Node {NodeId} listening on channel {Channel}")]
    private partial void LogListening(string nodeId, string channel);

    [LoggerMessage(EventId = 2312, Level = LogLevel.Warning, Message = "The listening connection failed; reconnecting in {PauseMs} ms (the polling fallback covers the gap)")]
    private partial void LogListenFailed(double pauseMs, Exception exception);

    [LoggerMessage(EventId = 2313, Level = LogLevel.Warning, Message = "Handling a cluster {Item} failed; the polling fallback covers it")]
    private partial void LogHandleFailed(string item, Exception exception);

    [LoggerMessage(EventId = 2314, Level = LogLevel.Information, Message = "The polling fallback recovered {Count} moves whose notifications never came")]
    private partial void LogRecovered(int count);
}
