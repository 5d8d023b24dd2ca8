using Microsoft.Data.Sqlite;
using Switchyard.Core.Model;
using Switchyard.Core.Queues;
using Switchyard.Core.Types;

namespace Switchyard.Storage.Sqlite;

/// <summary>Maps the <c>task_types</c> and <c>queue_settings</c> rows to their records and back. Times are Unix milliseconds.</summary>
internal static class ControlRows
{
    public const string TypeColumns = "type, description, payload_schema, defaults, concurrency, estimated_duration_ms, source, updated_at";

    public const string QueueColumns =
        "queue, paused, max_length, max_running, rate_tasks, rate_interval_ms, group_rates, scope_weights, group_weights, updated_at";

    public const string SelectTypes = $"SELECT {TypeColumns} FROM task_types ORDER BY type";

    public const string SelectQueues = $"SELECT {QueueColumns} FROM queue_settings ORDER BY queue";

    public static IReadOnlyList<TaskTypeDefinition> ReadTypes(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var all = new List<TaskTypeDefinition>();
        while (reader.Read())
        {
            all.Add(ReadType(reader));
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

    public static TaskTypeDefinition ReadType(SqliteDataReader r) => new()
    {
        Type = r.GetString(0),
        Description = r.IsDBNull(1) ? null : r.GetString(1),
        PayloadSchema = r.IsDBNull(2) ? null : new JsonText(r.GetString(2)),
        Defaults = ControlJson.ReadDefaults(r.IsDBNull(3) ? null : r.GetString(3)),
        Concurrency = r.IsDBNull(4) ? null : r.GetInt32(4),
        EstimatedDurationMs = r.IsDBNull(5) ? null : r.GetInt64(5),
        Source = TaskTypeSources.Parse(r.GetString(6)),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7)),
    };

    public static QueueSettings ReadQueue(SqliteDataReader r) => new()
    {
        Queue = r.GetString(0),
        Paused = r.GetInt64(1) != 0,
        MaxLength = r.IsDBNull(2) ? null : r.GetInt32(2),
        MaxRunning = r.IsDBNull(3) ? null : r.GetInt32(3),
        Rate = r.IsDBNull(4) ? null : new RateLimit(r.GetInt32(4), r.GetInt64(5)),
        GroupRates = ControlJson.ReadRates(r.IsDBNull(6) ? null : r.GetString(6)),
        ScopeWeights = ControlJson.ReadWeights(r.IsDBNull(7) ? null : r.GetString(7)),
        GroupWeights = ControlJson.ReadWeights(r.IsDBNull(8) ? null : r.GetString(8)),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(9)),
    };

    public static void UpsertType(SqliteConnection connection, TaskTypeDefinition d)
    {
        using var command = connection.CreateCommand();
        command.CommandText =
            $"INSERT OR REPLACE INTO task_types ({TypeColumns}) VALUES ($type, $description, $schema, $defaults, $concurrency, $estimated, $source, $at)";
        Bind(command, ("$type", d.Type), ("$description", d.Description), ("$schema", d.PayloadSchema?.Raw), ("$defaults", ControlJson.Write(d.Defaults)),
            ("$concurrency", d.Concurrency), ("$estimated", d.EstimatedDurationMs), ("$source", d.Source.ToName()), ("$at", d.UpdatedAt.ToUnixTimeMilliseconds()));
        command.ExecuteNonQuery();
    }

    public static void UpsertQueue(SqliteConnection connection, QueueSettings s)
    {
        using var command = connection.CreateCommand();
        command.CommandText =
            $"INSERT OR REPLACE INTO queue_settings ({QueueColumns}) VALUES ($queue, $paused, $max_length, $max_running, $rate_tasks, " +
            "$rate_interval, $group_rates, $scope_weights, $group_weights, $at)";
        Bind(command, ("$queue", s.Queue), ("$paused", s.Paused ? 1 : 0), ("$max_length", s.MaxLength), ("$max_running", s.MaxRunning),
            ("$rate_tasks", s.Rate?.Tasks), ("$rate_interval", s.Rate?.IntervalMs), ("$group_rates", ControlJson.Write(s.GroupRates)),
            ("$scope_weights", ControlJson.Write(s.ScopeWeights)), ("$group_weights", ControlJson.Write(s.GroupWeights)),
            ("$at", (s.UpdatedAt ?? DateTimeOffset.UnixEpoch).ToUnixTimeMilliseconds()));
        command.ExecuteNonQuery();
    }

    public static int Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Bind(command, parameters);
        return command.ExecuteNonQuery();
    }

    private static void Bind(SqliteCommand command, params (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
    }
}
