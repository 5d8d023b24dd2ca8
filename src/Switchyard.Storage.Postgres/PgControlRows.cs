using Npgsql;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Postgres;

/// <summary>The PostgreSQL statements of the <c>task_types</c> and <c>queue_settings</c> tables; rows map through <see cref="ControlColumns"/>.</summary>
internal static class PgControlRows
{
    public const string SelectTypes = $"SELECT {ControlColumns.Types} FROM task_types ORDER BY type COLLATE \"C\"";

    public const string SelectQueues = $"SELECT {ControlColumns.Queues} FROM queue_settings ORDER BY queue COLLATE \"C\"";

    /// <summary>Creates the queue's row with the defaults if it has none, then locks it: a concurrent update waits and applies on top.</summary>
    public const string LockQueue =
        "INSERT INTO queue_settings (queue, paused, updated_at) VALUES (@queue, false, 0) ON CONFLICT (queue) DO NOTHING; " +
        $"SELECT {ControlColumns.Queues} FROM queue_settings WHERE queue = @queue FOR UPDATE";

    public static readonly string UpsertType = Upsert("task_types", ControlColumns.Types);

    public static readonly string UpsertQueue = Upsert("queue_settings", ControlColumns.Queues);

    /// <summary>A command of <paramref name="sql"/> (an upsert above) with <paramref name="values"/> bound in column order.</summary>
    public static NpgsqlCommand Write(PgTransaction tx, string sql, object?[] values)
    {
        var command = tx.Command(sql);
        for (var i = 0; i < values.Length; i++)
        {
            PgTaskRows.Set(command, $"p{i}", values[i]);
        }

        return command;
    }

    private static string Upsert(string table, string columns)
    {
        var names = columns.Split(", ");
        return $"INSERT INTO {table} ({columns}) VALUES ({ControlColumns.Placeholders(columns, '@')}) " +
               $"ON CONFLICT ({names[0]}) DO UPDATE SET {string.Join(", ", names.Skip(1).Select(c => $"{c} = excluded.{c}"))}";
    }
}
