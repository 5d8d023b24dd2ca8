using Npgsql;
using Switchyard.Core.Scheduling;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Postgres;

/// <summary>
/// Schedules on the shared database. Several nodes may fire the same due schedule: the run's idempotency key keeps one
/// task, and the compare-and-set on <c>next_run_at</c> lets one node advance it.
/// </summary>
public sealed partial class PostgresTaskStore : IScheduleStore
{
    public Task<UpsertScheduleResult> UpsertScheduleAsync(UpsertScheduleRequest request, CancellationToken cancellationToken) =>
        RunAsync(async (tx, ct) =>
        {
            await using var command = tx.Command(PgScheduleRows.Upsert);
            PgScheduleRows.BindUpsert(command, request.Schedule, tx.Now);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return new UpsertScheduleResult(PgScheduleRows.Read(reader, 1), reader.GetBoolean(0));
        }, cancellationToken);

    public async Task<Schedule?> GetScheduleAsync(string id, CancellationToken cancellationToken) =>
        await ReadSchedulesAsync($"SELECT {PgScheduleRows.Columns} FROM schedules WHERE id = @id", [("id", id)], cancellationToken)
            is [var schedule] ? schedule : null;

    public Task<IReadOnlyList<Schedule>> ListSchedulesAsync(ListSchedulesRequest request, CancellationToken cancellationToken) =>
        ReadSchedulesAsync(
            $"SELECT {PgScheduleRows.Columns} FROM schedules WHERE @after::text IS NULL OR id COLLATE \"C\" > @after ORDER BY id COLLATE \"C\" LIMIT @limit",
            [("after", request.After), ("limit", Math.Clamp(request.Limit, 1, ListSchedulesRequest.MaxLimit))],
            cancellationToken);

    public Task<bool> DeleteScheduleAsync(DeleteScheduleRequest request, CancellationToken cancellationToken) =>
        RunAsync(async (tx, ct) => await ExecuteScheduleAsync(tx, "DELETE FROM schedules WHERE id = @id", [("id", request.Id)], ct) == 1,
            cancellationToken);

    public Task<Schedule?> SetSchedulePausedAsync(SetSchedulePausedRequest request, CancellationToken cancellationToken) =>
        RunAsync(async (tx, ct) =>
        {
            await using var command = tx.Command(
                $"UPDATE schedules SET paused = @paused, next_run_at = @next, updated_at = @now WHERE id = @id RETURNING {PgScheduleRows.Columns}");
            Bind(command, [("id", request.Id), ("paused", request.Paused), ("next", PgTaskRows.Ms(request.NextRunAt)), ("now", PgTaskRows.Ms(tx.Now))]);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? PgScheduleRows.Read(reader) : null;
        }, cancellationToken);

    public Task<IReadOnlyList<Schedule>> ListDueSchedulesAsync(DueSchedulesRequest request, CancellationToken cancellationToken) =>
        ReadSchedulesAsync(
            $"SELECT {PgScheduleRows.Columns} FROM schedules WHERE NOT paused AND next_run_at <= @now ORDER BY next_run_at, id LIMIT @limit",
            [("now", PgTaskRows.Ms(request.Now)), ("limit", request.MaxSchedules)],
            cancellationToken);

    public Task<bool> RecordScheduleRunAsync(RecordScheduleRunRequest request, CancellationToken cancellationToken) =>
        RunAsync(async (tx, ct) =>
        {
            var sql = "UPDATE schedules SET updated_at = @now";
            if (request.LastRunAt is not null)
            {
                sql += ", last_run_at = @last_run_at, last_task_id = @last_task_id, last_error = @last_error";
            }

            sql += request.Advance is null ? " WHERE id = @id" : ", next_run_at = @to WHERE id = @id AND NOT paused AND next_run_at = @from";
            return await ExecuteScheduleAsync(tx, sql,
            [
                ("id", request.Id), ("last_run_at", PgTaskRows.Ms(request.LastRunAt)), ("last_task_id", request.LastTaskId),
                ("last_error", request.LastError), ("from", PgTaskRows.Ms(request.Advance?.From)), ("to", PgTaskRows.Ms(request.Advance?.To)),
            ], ct) == 1;
        }, cancellationToken);

    private static async Task<int> ExecuteScheduleAsync(
        PgTransaction tx, string sql, IEnumerable<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        await using var command = tx.Command(sql);
        Bind(command, parameters.Append(("now", PgTaskRows.Ms(tx.Now))));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private Task<IReadOnlyList<Schedule>> ReadSchedulesAsync(
        string sql, IEnumerable<(string Name, object? Value)> parameters, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<Schedule>>(async (tx, ct) =>
        {
            await using var command = tx.Command(sql);
            Bind(command, parameters);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var schedules = new List<Schedule>();
            while (await reader.ReadAsync(ct))
            {
                schedules.Add(PgScheduleRows.Read(reader));
            }

            return schedules;
        }, cancellationToken);

    /// <summary>Binds the parameters the statement names (an unused one would be an error).</summary>
    private static void Bind(NpgsqlCommand command, IEnumerable<(string Name, object? Value)> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            if (command.CommandText.Contains("@" + name, StringComparison.Ordinal))
            {
                PgTaskRows.Set(command, name, value);
            }
        }
    }
}
