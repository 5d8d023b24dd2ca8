using Npgsql;
using Switchyard.Core.Scheduling;

namespace Switchyard.Storage.Postgres;

/// <summary>The <c>schedules</c> table's columns and how a row becomes a <see cref="Schedule"/>.</summary>
internal static class PgScheduleRows
{
    public const string Columns =
        "id, cron, time_zone, template, missed_runs, paused, next_run_at, last_run_at, last_task_id, last_error, created_at, updated_at";

    public const string Upsert =
        $"INSERT INTO schedules ({Columns}) " +
        "VALUES (@id, @cron, @time_zone, @template, @missed_runs, @paused, @next_run_at, NULL, NULL, NULL, @now, @now) " +
        "ON CONFLICT (id) DO UPDATE SET " +
        "next_run_at = CASE WHEN schedules.cron = excluded.cron AND schedules.time_zone = excluded.time_zone " +
        "AND schedules.paused = excluded.paused THEN schedules.next_run_at ELSE excluded.next_run_at END, " +
        "cron = excluded.cron, time_zone = excluded.time_zone, template = excluded.template, missed_runs = excluded.missed_runs, " +
        "paused = excluded.paused, updated_at = excluded.updated_at " +
        $"RETURNING (xmax = 0) AS created, {Columns}";

    public static void BindUpsert(NpgsqlCommand command, Schedule s, DateTimeOffset now)
    {
        PgTaskRows.Set(command, "id", s.Id);
        PgTaskRows.Set(command, "cron", s.Cron);
        PgTaskRows.Set(command, "time_zone", s.TimeZone);
        PgTaskRows.Set(command, "template", ScheduleTemplates.Write(s.Template));
        PgTaskRows.Set(command, "missed_runs", s.MissedRuns.ToName());
        PgTaskRows.Set(command, "paused", s.Paused);
        PgTaskRows.Set(command, "next_run_at", PgTaskRows.Ms(s.NextRunAt));
        PgTaskRows.Set(command, "now", PgTaskRows.Ms(now));
    }

    /// <summary>Reads the schedule whose first column is at <paramref name="first"/>.</summary>
    public static Schedule Read(NpgsqlDataReader r, int first = 0) => new()
    {
        Id = r.GetString(first),
        Cron = r.GetString(first + 1),
        TimeZone = r.GetString(first + 2),
        Template = ScheduleTemplates.Read(r.GetString(first + 3)),
        MissedRuns = MissedRunPolicies.TryParse(r.GetString(first + 4), out var policy) ? policy : MissedRunPolicy.Skip,
        Paused = r.GetBoolean(first + 5),
        NextRunAt = Time(r, first + 6),
        LastRunAt = Time(r, first + 7),
        LastTaskId = r.IsDBNull(first + 8) ? null : r.GetString(first + 8),
        LastError = r.IsDBNull(first + 9) ? null : r.GetString(first + 9),
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(first + 10)),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(first + 11)),
    };

    private static DateTimeOffset? Time(NpgsqlDataReader r, int ordinal) =>
        r.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(ordinal));
}
