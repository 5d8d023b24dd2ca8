using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Switchyard.Storage.Sqlite;

/// <summary>
/// The one writer of the database. A dedicated thread takes every queued command, runs them in one
/// transaction (each inside a savepoint, so one failing command undoes only itself), commits — and with
/// <c>synchronous=FULL</c> syncs — once, and only then answers the callers: group commit. When the queue is empty the
/// thread blocks without spinning first: on a small machine a spinning writer takes the core the callers need.
/// <para>
/// Under light load a caller runs its command itself: when nothing is queued, nothing is running and the last
/// transaction held a single command, waking the thread and waking the caller again would only add two thread hops
/// (50–120 µs each on a small machine) to a transaction of one. Whoever runs holds <see cref="_busy"/>, so commands
/// still run one transaction at a time, in the order they were queued; under load they queue for the thread, which
/// folds them into one commit as before.
/// </para>
/// </summary>
internal sealed partial class SqliteWriter : IAsyncDisposable
{
    private readonly ConcurrentQueue<WriteCommand> _commands = new();
    private readonly ManualResetEventSlim _arrived = new(false, spinCount: 0);
    private readonly Lock _gate = new();
    private bool _closed;

    private readonly SqliteConnection _connection;
    private readonly WriterContext _context;
    private readonly int _maxPerTransaction;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, RawCommand> _control = new(StringComparer.Ordinal);
    private int _lastBatch;
    private int _busy;
    private long _transactions;
    private long _commandsRun;
    private long _runByCallers;

    public SqliteWriter(SqliteConnection connection, WriterContext context, int maxPerTransaction, ILogger logger)
    {
        _connection = connection;
        _context = context;
        _maxPerTransaction = maxPerTransaction;
        _logger = logger;
        _thread = new Thread(Loop) { IsBackground = true, Name = "switchyard-sqlite-writer" };
    }

    public long Transactions => Interlocked.Read(ref _transactions);

    public long CommandsRun => Interlocked.Read(ref _commandsRun);

    /// <summary>Transactions a caller ran itself, the writer thread idle (see the class summary).</summary>
    public long RunByCallers => Interlocked.Read(ref _runByCallers);

    public void Start() => _thread.Start();

    public Task<T> Run<T>(Func<WriterContext, T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = new WriteCommand<T>(work);
        if (!TryRunHere(command))
        {
            Enqueue(command);
        }

        return command.Completion;
    }

    /// <summary>Runs <paramref name="work"/> alone, outside any transaction, once the writes before it have committed.</summary>
    public Task<T> RunAlone<T>(Func<WriterContext, T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = new SoloCommand<T>(work);
        Enqueue(command);
        return command.Completion;
    }

    /// <summary>Runs <paramref name="command"/> on the caller's thread when the writer is idle and was lightly loaded.</summary>
    private bool TryRunHere(WriteCommand command)
    {
        if (!_commands.IsEmpty || Volatile.Read(ref _lastBatch) > 1 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            return false;
        }

        try
        {
            if (Volatile.Read(ref _closed) || !_commands.IsEmpty)
            {
                return false; // closing (Enqueue refuses), or another caller queued first: keep its order
            }

            RunBatch([command]);
            Interlocked.Increment(ref _runByCallers);
            return true;
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
            if (!_commands.IsEmpty)
            {
                // The thread found us busy and waits for this.
                lock (_gate)
                {
                    if (!_closed)
                    {
                        _arrived.Set();
                    }
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        bool first;
        lock (_gate)
        {
            first = !_closed;
            _closed = true;
            if (first)
            {
                _arrived.Set();
            }
        }

        if (_thread.IsAlive)
        {
            await _stopped.Task;
        }

        if (first)
        {
            _arrived.Dispose(); // nothing sets it any more: Enqueue checks _closed under the same lock
        }
    }

    private void Enqueue(WriteCommand command)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _commands.Enqueue(command);
            _arrived.Set();
        }
    }

    /// <summary>Blocks until a command is queued; false once the writer is closed and everything queued has run.</summary>
    private bool WaitForWork()
    {
        while (true)
        {
            _arrived.Reset();
            if (!_commands.IsEmpty)
            {
                return true;
            }

            if (Volatile.Read(ref _closed))
            {
                return false;
            }

            _arrived.Wait();
        }
    }

    private void Loop()
    {
        var batch = new List<WriteCommand>(_maxPerTransaction);
        try
        {
            while (WaitForWork())
            {
                if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
                {
                    // A caller runs its command itself; it signals when done if more is queued, unless the writer is
                    // closing by then (the signal could meet a disposed event): then the close's own signal, set after
                    // this reset, wakes the wait, and once closed the thread only yields until the caller is done.
                    _arrived.Reset();
                    if (Volatile.Read(ref _busy) == 0)
                    {
                        continue;
                    }

                    if (Volatile.Read(ref _closed))
                    {
                        Thread.Yield();
                        continue;
                    }

                    _arrived.Wait();
                    continue;
                }

                try
                {
                    while (batch.Count < _maxPerTransaction && _commands.TryPeek(out var next))
                    {
                        if (next.OutsideTransaction && batch.Count > 0)
                        {
                            break; // commit what came before it first
                        }

                        _commands.TryDequeue(out var command);
                        if (command!.OutsideTransaction)
                        {
                            RunAlone(command);
                            continue;
                        }

                        batch.Add(command);
                    }

                    if (batch.Count > 0)
                    {
                        RunBatch(batch);
                        batch.Clear();
                    }
                }
                finally
                {
                    Volatile.Write(ref _busy, 0);
                }
            }
        }
        finally
        {
            // A caller may still be running its command on the connection: wait for it before letting go.
            var spin = default(SpinWait);
            while (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
            {
                spin.SpinOnce();
            }

            foreach (var command in _control.Values)
            {
                command.Dispose();
            }

            _stopped.TrySetResult();
        }
    }

    private void RunBatch(List<WriteCommand> batch)
    {
        Volatile.Write(ref _lastBatch, batch.Count);
        var failed = new List<(WriteCommand Command, Exception Error)>();
        try
        {
            Execute("BEGIN IMMEDIATE");
            foreach (var command in batch)
            {
                Execute("SAVEPOINT cmd");
                _context.BeginCommand();
                try
                {
                    command.Execute(_context);
                    Execute("RELEASE cmd");
                }
                catch (Exception ex)
                {
                    Execute("ROLLBACK TO cmd");
                    Execute("RELEASE cmd");
                    _context.UndoCommand();
                    if (ex is not RefusedException)
                    {
                        // The command may have changed memory before it failed: rebuild it from the rows.
                        _context.Reload();
                    }

                    failed.Add((command, ex));
                }
            }

            _context.BeforeCommit();
            Execute("COMMIT");
            _context.AfterCommit();
        }
        catch (Exception ex)
        {
            LogTransactionFailed(_logger, batch.Count, ex);
            TryRollback();
            TryReload();
            foreach (var command in batch)
            {
                command.Fault(ex);
            }

            return;
        }

        Interlocked.Increment(ref _transactions);
        Interlocked.Add(ref _commandsRun, batch.Count);
        foreach (var (command, error) in failed)
        {
            command.Fault(error);
        }

        foreach (var command in batch)
        {
            command.Acknowledge();
        }

        if (failed.Exists(f => f.Error is not RefusedException))
        {
            LogCommandsFailed(_logger, failed.Count, failed[0].Error);
        }
    }

    private void RunAlone(WriteCommand command)
    {
        _context.BeginCommand();
        try
        {
            command.Execute(_context);
            command.Acknowledge();
        }
        catch (Exception ex)
        {
            LogCommandsFailed(_logger, 1, ex);
            command.Fault(ex);
        }
    }

    private void Execute(string sql)
    {
        if (!_control.TryGetValue(sql, out var command))
        {
            command = new RawCommand(_connection, sql);
            _control[sql] = command;
        }

        command.ExecuteNonQuery();
    }

    private void TryRollback()
    {
        try
        {
            if (!_connection.State.HasFlag(System.Data.ConnectionState.Open))
            {
                return;
            }

            Execute("ROLLBACK");
        }
        catch (SqliteException)
        {
            // No transaction was open: nothing to undo.
        }
    }

    private void TryReload()
    {
        try
        {
            _context.Reload();
        }
        catch (SqliteException ex)
        {
            LogReloadFailed(_logger, ex);
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "A write transaction of {Count} commands failed and was rolled back")]
    private static partial void LogTransactionFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "{Count} write commands failed and were undone; the first error follows")]
    private static partial void LogCommandsFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Critical, Message = "Reloading the in-memory indexes after a failed transaction failed")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);
}
