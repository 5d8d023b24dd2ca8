using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using SQLitePCL;

namespace Switchyard.Storage.Sqlite;

/// <summary>
/// Copies the write-ahead log back into the database file on a thread of its own instead of on the writer.
/// <para>
/// SQLite's default checkpoints on the committing connection once the log holds 1,000 frames: on the writer, between
/// two transactions, with a sync of the log and one of the database file. On a slow disk that is tens of milliseconds
/// every few hundred round trips, and every queued command waits it out. Here the writer's connection carries a WAL hook
/// instead (which turns SQLite's own automatic checkpoint off): after each commit SQLite reports the log's length, and
/// once <see cref="SqliteStoreOptions.CheckpointFrames"/> frames have been added since the last checkpoint the hook
/// wakes this thread, which checkpoints in <c>PASSIVE</c> mode (it never blocks the writer) on its own connection.
/// </para>
/// <para>
/// A passive checkpoint copies up to the last commit it saw. SQLite starts the log over only when a write begins with
/// all of it copied, which a steady stream of commits never allows, so the log would grow without end. Once a
/// checkpoint here finds it four steps long, this thread stops and the hook checkpoints on the writer after the next
/// commit, as SQLite would have: by then all but the last few frames are copied, so the writer copies and syncs little,
/// and the next write starts the log over. At sixteen steps the writer checkpoints whether asked or not, so a thread
/// that gets no core cannot hold the log up either; only a checkpoint of this thread's still syncing does (the
/// writer's is busy meanwhile and tries again after the next commit).
/// </para>
/// </summary>
internal sealed partial class SqliteCheckpointer : IDisposable
{
    private const int SqliteOk = 0;
    private const int Steps = 4;
    private const int MostSteps = 16;

    private static readonly WalHook Hook = OnCommit;
    private static readonly IntPtr HookPointer = Marshal.GetFunctionPointerForDelegate(Hook);

    private readonly SqliteConnection _writer;
    private readonly SqliteConnection _own;
    private readonly int _step;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    private GCHandle _self;
    private volatile bool _stopping;
    private int _copied;
    private bool _finish;
    private long _background;
    private long _onWriter;
    private int _lastFrames;
    private long _restarts;
    private long _written;

    private SqliteCheckpointer(SqliteConnection writer, SqliteConnection own, int step, ILogger logger)
    {
        _writer = writer;
        _own = own;
        _step = step;
        _logger = logger;
        _thread = new Thread(Loop) { IsBackground = true, Name = "switchyard-sqlite-checkpoint" };
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int WalHook(IntPtr state, IntPtr db, IntPtr schema, int frames);

    /// <summary>How many times the log started over, and how many frames the commits wrote to it in all.</summary>
    public (long Restarts, long Written) Log => (Interlocked.Read(ref _restarts), Interlocked.Read(ref _written));

    /// <summary>Raised on the checkpoint thread after each checkpoint it ran (tests wait on it).</summary>
    public event Action? Checkpointed;

    /// <summary>Checkpoints this thread ran, and checkpoints the writer ran itself because the log had grown to four steps.</summary>
    public (long Background, long OnWriter) Stats => (Interlocked.Read(ref _background), Interlocked.Read(ref _onWriter));

    /// <summary>
    /// Takes over checkpoints from <paramref name="writer"/> (its own connection is opened with
    /// <paramref name="openOwn"/>); null, leaving SQLite's automatic checkpoint in place, when the WAL hook cannot be set.
    /// Call before the writer starts: the hook runs on whichever thread commits.
    /// </summary>
    public static SqliteCheckpointer? Start(SqliteConnection writer, Func<SqliteConnection> openOwn, int step, ILogger logger)
    {
        var own = openOwn();
        var checkpointer = new SqliteCheckpointer(writer, own, step, logger);
        checkpointer._self = GCHandle.Alloc(checkpointer);
        try
        {
            NativeMethods.sqlite3_wal_hook(writer.Handle!.DangerousGetHandle(), HookPointer, GCHandle.ToIntPtr(checkpointer._self));
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            LogNoHook(logger, ex);
            checkpointer._self.Free();
            own.Dispose();
            checkpointer._wake.Dispose();
            return null;
        }

        checkpointer._thread.Start();
        return checkpointer;
    }

    /// <summary>
    /// Takes the hook off the writer and stops. Call once nothing commits any more: no checkpoint follows a commit after
    /// this, and SQLite checkpoints the whole log when the last connection closes.
    /// </summary>
    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        NativeMethods.sqlite3_wal_hook(_writer.Handle!.DangerousGetHandle(), IntPtr.Zero, IntPtr.Zero);
        _stopping = true;
        _wake.Set();
        _thread.Join();
        _own.Dispose();
        _wake.Dispose();
        _self.Free();
    }

    private static int OnCommit(IntPtr state, IntPtr db, IntPtr schema, int frames)
    {
        try
        {
            if (GCHandle.FromIntPtr(state).Target is SqliteCheckpointer checkpointer)
            {
                checkpointer.Committed(frames);
            }
        }
#pragma warning disable CA1031 // an exception must not cross back into SQLite: the commit has happened, only the checkpoint is late
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        return SqliteOk;
    }

    /// <summary>After each commit, on the committing thread: the log now holds <paramref name="frames"/> frames.</summary>
    private void Committed(int frames)
    {
        var copied = Volatile.Read(ref _copied);
        var last = Volatile.Read(ref _lastFrames);
        Volatile.Write(ref _lastFrames, frames);
        if (frames < last)
        {
            // The log started over since the last commit.
            Interlocked.Increment(ref _restarts);
            Interlocked.Add(ref _written, frames);
            Volatile.Write(ref _copied, 0);
            copied = 0;
            Volatile.Write(ref _finish, false);
        }
        else
        {
            Interlocked.Add(ref _written, frames - last);
        }

        if (Volatile.Read(ref _finish) || frames >= MostSteps * _step)
        {
            // The checkpoint thread never caught up with the commits and has stopped (or has fallen far behind: a starved
            // thread): finish on the writer, so that the next write starts the log over. Busy while another checkpoint
            // runs: try again at the next commit.
            if (Checkpoint(_writer, out var log, out var done))
            {
                Volatile.Write(ref _copied, done);
                Volatile.Write(ref _finish, false);
                Interlocked.Increment(ref _onWriter);
                LogOnWriter(_logger, log, done);
            }

            return;
        }

        if (frames - copied >= _step)
        {
            _wake.Set();
        }
    }

    private void Loop()
    {
        while (true)
        {
            _wake.Wait();
            _wake.Reset();
            if (_stopping)
            {
                return;
            }

            if (Checkpoint(_own, out var log, out var done))
            {
                Volatile.Write(ref _copied, done);
                Interlocked.Increment(ref _background);
                if (log >= Steps * _step)
                {
                    Volatile.Write(ref _finish, true); // the writer takes the next one (see Committed)
                }

                Checkpointed?.Invoke();
            }
        }
    }

    /// <summary>A passive checkpoint on <paramref name="connection"/>; false when another one was running (nothing to do then).</summary>
    private bool Checkpoint(SqliteConnection connection, out int log, out int done)
    {
        var rc = raw.sqlite3_wal_checkpoint_v2(connection.Handle, "main", raw.SQLITE_CHECKPOINT_PASSIVE, out log, out done);
        if (rc == SqliteOk)
        {
            return true;
        }

        if (rc != raw.SQLITE_BUSY && rc != raw.SQLITE_LOCKED)
        {
            LogFailed(_logger, rc, raw.sqlite3_errstr(rc).utf8_to_string());
        }

        return false;
    }

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning,
        Message = "SQLite's WAL hook is not available here; the writer checkpoints the write-ahead log itself (SQLite's default)")]
    private static partial void LogNoHook(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Error, Message = "A checkpoint of the write-ahead log failed: SQLite error {Code} ({Message})")]
    private static partial void LogFailed(ILogger logger, int code, string message);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Debug,
        Message = "The write-ahead log held {Frames} frames: the writer checkpointed it ({Copied} copied)")]
    private static partial void LogOnWriter(ILogger logger, int frames, int copied);

    private static class NativeMethods
    {
        /// <summary>The library SQLitePCLRaw's bundle loads (Microsoft.Data.Sqlite's SQLite); SQLitePCLRaw does not wrap this call.</summary>
        [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl)]
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code for nothing here: every argument is a pointer
        public static extern IntPtr sqlite3_wal_hook(IntPtr db, IntPtr hook, IntPtr state);
#pragma warning restore SYSLIB1054
    }
}
