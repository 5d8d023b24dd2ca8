using Microsoft.Data.Sqlite;
using Switchyard.Core.Queues;
using Switchyard.Core.Storage;
using Switchyard.Core.Types;

namespace Switchyard.Storage.Sqlite;

/// <summary>The SQLite statements of the <c>task_types</c> and <c>queue_settings</c> tables; rows map through <see cref="ControlColumns"/>.</summary>
internal static class ControlRows
{
    public const string SelectTypes = $"SELECT {ControlColumns.Types} FROM task_types ORDER BY type";

    public const string SelectQueues = $"SELECT {ControlColumns.Queues} FROM queue_settings ORDER BY queue";

    private static readonly string UpsertTypeSql =
        $"INSERT OR REPLACE INTO task_types ({ControlColumns.Types}) VALUES ({ControlColumns.Placeholders(ControlColumns.Types, '$')})";

    private static readonly string UpsertQueueSql =
        $"INSERT OR REPLACE INTO queue_settings ({ControlColumns.Queues}) VALUES ({ControlColumns.Placeholders(ControlColumns.Queues, '$')})";

    public static IReadOnlyList<TaskTypeDefinition> ReadTypes(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var all = new List<TaskTypeDefinition>();
        while (reader.Read())
        {
            all.Add(ControlColumns.ReadType(reader));
        }

        return all;
    }

    public static async Task<IReadOnlyList<T>> ReadAllAsync<T>(
        SqliteDatabase database, string sql, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var all = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            all.Add(read(reader));
        }

        return all;
    }

    public static void UpsertType(SqliteConnection connection, TaskTypeDefinition d) => Write(connection, UpsertTypeSql, ControlColumns.ValuesOf(d));

    public static void UpsertQueue(SqliteConnection connection, QueueSettings s) => Write(connection, UpsertQueueSql, ControlColumns.ValuesOf(s));

    public static int Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command.ExecuteNonQuery();
    }

    private static void Write(SqliteConnection connection, string sql, object?[] values) =>
        Execute(connection, sql, values.Select((value, i) => ($"$p{i}", value)).ToArray());
}
