using SQLitePCL;

namespace Switchyard.Storage.Sqlite;

/// <summary>
/// Process-wide SQLite settings, applied once before the process opens its first connection (SQLite accepts them only
/// before it initializes).
/// </summary>
internal static class SqliteEngine
{
    private static readonly Lazy<bool> Configured = new(Configure);

    /// <summary>
    /// True when the settings apply; false when SQLite was initialized before (another library of the process opened a
    /// connection first), which leaves SQLite's defaults: slower, equally correct.
    /// </summary>
    public static bool EnsureConfigured() => Configured.Value;

    private static bool Configure()
    {
        Batteries_V2.Init();

        // No connection is used by two threads at once: the writer's stays on its thread, and a reader's serves one
        // query at a time. So the mutex SQLite takes around every call on a connection guards nothing here.
        var multiThread = raw.sqlite3_config(raw.SQLITE_CONFIG_MULTITHREAD) == raw.SQLITE_OK;

        // Memory statistics take a process-wide mutex on every allocation, and nothing reads them.
        var noMemoryStatistics = raw.sqlite3_config(raw.SQLITE_CONFIG_MEMSTATUS, 0) == raw.SQLITE_OK;
        return multiThread && noMemoryStatistics;
    }
}
