using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Switchyard.Storage.Sqlite;

/// <summary>
/// One statement of the writer's hot path (insert, update, history row, transaction control) prepared once on the
/// native handle and bound by index. Microsoft.Data.Sqlite looks every parameter up by name on every execution
/// (<c>sqlite3_bind_parameter_index</c> plus a UTF-8 copy of the name), which profiling showed as the largest single cost
/// of the writer thread; here the names are resolved once. Values stay bound until set again, as with
/// <see cref="PreparedCommand"/>. Used only on the writer's connection and thread.
/// </summary>
internal sealed class RawCommand : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public RawCommand(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = raw.sqlite3_prepare_v2(_db, sql, out _statement);
        SqliteException.ThrowExceptionForRC(rc, _db);
        var count = raw.sqlite3_bind_parameter_count(_statement);
        for (var i = 1; i <= count; i++)
        {
            _index[raw.sqlite3_bind_parameter_name(_statement, i).utf8_to_string()] = i;
        }
    }

    /// <summary>Binds <paramref name="value"/> to the named parameter, which the statement must have.</summary>
    public RawCommand Set(string name, object? value)
    {
        if (!_index.TryGetValue(name, out var i))
        {
            throw new ArgumentException($"The statement has no parameter {name}.", nameof(name));
        }

        Bind(i, value);
        return this;
    }

    /// <summary>Binds <paramref name="value"/> if the statement has the named parameter; does nothing otherwise.</summary>
    public void TrySet(string name, object? value)
    {
        if (_index.TryGetValue(name, out var i))
        {
            Bind(i, value);
        }
    }

    /// <summary>Runs the statement to its end; returns how many rows it changed.</summary>
    public int ExecuteNonQuery()
    {
        try
        {
            int rc;
            while ((rc = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
            {
            }

            Check(rc);
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Runs the statement and returns the first column of its first row as an integer (an insert's <c>RETURNING seq</c>).</summary>
    public long ExecuteScalarInt64()
    {
        try
        {
            var rc = raw.sqlite3_step(_statement);
            if (rc != raw.SQLITE_ROW)
            {
                Check(rc);
                throw new InvalidOperationException("The statement returned no row.");
            }

            var value = raw.sqlite3_column_int64(_statement, 0);
            while ((rc = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
            {
            }

            Check(rc);
            return value;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    private void Bind(int i, object? value)
    {
        var rc = value switch
        {
            null or DBNull => raw.sqlite3_bind_null(_statement, i),
            string s => raw.sqlite3_bind_text(_statement, i, s),
            long l => raw.sqlite3_bind_int64(_statement, i, l),
            int n => raw.sqlite3_bind_int64(_statement, i, n),
            bool b => raw.sqlite3_bind_int64(_statement, i, b ? 1 : 0),
            double d => raw.sqlite3_bind_double(_statement, i, d),
            byte[] bytes => raw.sqlite3_bind_blob(_statement, i, bytes),
            _ => throw new ArgumentException($"Cannot bind a {value.GetType().Name}.", nameof(value)),
        };
        SqliteException.ThrowExceptionForRC(rc, _db);
    }
}
