using Microsoft.Data.Sqlite;
using Switchyard.Core.Engine;
using Switchyard.Core.Scheduling;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Sqlite;

/// <summary>Schedules: writes through the single writer, reads on pooled read-only connections.</summary>
public sealed partial class SqliteTaskStore : IScheduleStore
{
    private const string DueSchedules =
        $"SELECT {ScheduleRows.Columns} FROM schedules WHERE paused = 0 AND next_run_at IS NOT NULL AND next_run_at <= $now " +
        "ORDER BY next_run_at, id LIMIT $limit";

    public Task<UpsertScheduleResult> UpsertScheduleAsync(UpsertScheduleRequest request, CancellationToken cancellationToken) =>
        Writer.Run(context =>
        {
            var created = LoadSchedule(context.Connection, request.Schedule.Id) is null;
            using (var upsert = context.Connection.CreateCommand())
            {
                upsert.CommandText = ScheduleRows.Upsert;
                ScheduleRows.BindUpsert(upsert, request.Schedule, context.Now);
                upsert.ExecuteNonQuery();
            }

            return new UpsertScheduleResult(LoadSchedule(context.Connection, request.Schedule.Id)!, created);
        }, cancellationToken);

    public async Task<Schedule?> GetScheduleAsync(string id, CancellationToken cancellationToken) =>
        await ReadSchedulesAsync($"SELECT {ScheduleRows.Columns} FROM schedules WHERE id = $id", [("$id", id)], cancellationToken)
            is [var schedule] ? schedule : null;

    public Task<IReadOnlyList<Schedule>> ListSchedulesAsync(ListSchedulesRequest request, CancellationToken cancellationToken) =>
        ReadSchedulesAsync(
            $"SELECT {ScheduleRows.Columns} FROM schedules WHERE $after IS NULL OR id > $after ORDER BY id LIMIT $limit",
            [("$after", request.After), ("$limit", Math.Clamp(request.Limit, 1, ListSchedulesRequest.MaxLimit))],
            cancellationToken);

    public Task<bool> DeleteScheduleAsync(DeleteScheduleRequest request, CancellationToken cancellationToken) =>
        Writer.Run(context => ExecuteSchedule(context, "DELETE FROM schedules WHERE id = $id", [("$id", request.Id)]) == 1, cancellationToken);

    public Task<Schedule?> SetSchedulePausedAsync(SetSchedulePausedRequest request, CancellationToken cancellationToken) =>
        Writer.Run(context =>
        {
            var changed = ExecuteSchedule(context,
                "UPDATE schedules SET paused = $paused, next_run_at = $next, updated_at = $now WHERE id = $id",
                [("$id", request.Id), ("$paused", request.Paused ? 1 : 0), ("$next", TaskRows.Ms(request.NextRunAt))]);
            return changed == 1 ? LoadSchedule(context.Connection, request.Id) : null;
        }, cancellationToken);

    public Task<IReadOnlyList<Schedule>> ListDueSchedulesAsync(DueSchedulesRequest request, CancellationToken cancellationToken) =>
        ReadSchedulesAsync(DueSchedules, [("$now", TaskRows.Ms(request.Now)), ("$limit", request.MaxSchedules)], cancellationToken);

    public Task<bool> RecordScheduleRunAsync(RecordScheduleRunRequest request, CancellationToken cancellationToken) =>
        Writer.Run(context =>
        {
            var sql = "UPDATE schedules SET updated_at = $now";
            if (request.LastRunAt is not null)
            {
                sql += ", last_run_at = $last_run_at, last_task_id = $last_task_id, last_error = $last_error";
            }

            sql += request.Advance is null
                ? " WHERE id = $id"
                : ", next_run_at = $to WHERE id = $id AND paused = 0 AND next_run_at = $from";
            return ExecuteSchedule(context, sql,
            [
                ("$id", request.Id), ("$last_run_at", TaskRows.Ms(request.LastRunAt)), ("$last_task_id", request.LastTaskId),
                ("$last_error", request.LastError), ("$from", TaskRows.Ms(request.Advance?.From)), ("$to", TaskRows.Ms(request.Advance?.To)),
            ]) == 1;
        }, cancellationToken);

    private static int ExecuteSchedule(WriterContext context, string sql, IEnumerable<(string Name, object? Value)> parameters)
    {
        using var command = context.Connection.CreateCommand();
        command.CommandText = sql;
        Bind(command, parameters.Append(("$now", TaskRows.Ms(context.Now))));
        return command.ExecuteNonQuery();
    }

    private static Schedule? LoadSchedule(SqliteConnection connection, string id)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ScheduleRows.Columns} FROM schedules WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ScheduleRows.Read(reader) : null;
    }

    private async Task<IReadOnlyList<Schedule>> ReadSchedulesAsync(
        string sql, IEnumerable<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Bind(command, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var schedules = new List<Schedule>();
        while (await reader.ReadAsync(cancellationToken))
        {
            schedules.Add(ScheduleRows.Read(reader));
        }

        return schedules;
    }

    private static void Bind(SqliteCommand command, IEnumerable<(string Name, object? Value)> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            if (command.CommandText.Contains(name, StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }
        }
    }
}
