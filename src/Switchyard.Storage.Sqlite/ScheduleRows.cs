using Microsoft.Data.Sqlite;
using Switchyard.Core.Scheduling;

namespace Switchyard.Storage.Sqlite;

/// <summary>The <c>schedules</c> table's columns and how a row becomes a <see cref="Schedule"/>.</summary>
internal static class ScheduleRows
{
    public const string Columns =
        "id, cron, time_zone, template, missed_runs, paused, next_run_at, last_run_at, last_task_id, last_error, created_at, updated_at";

    public const string Upsert =
        $"INSERT INTO schedules ({Columns}) " +
        "VALUES ($id, $cron, $time_zone, $template, $missed_runs, $paused, $next_run_at, NULL, NULL, NULL, $now, $now) " +
        "ON CONFLICT (id) DO UPDATE SET " +
        "next_run_at = CASE WHEN cron = excluded.cron AND time_zone = excluded.time_zone AND paused = excluded.paused " +
        "THEN next_run_at ELSE excluded.next_run_at END, " +
        "cron = excluded.cron, time_zone = excluded.time_zone, template = excluded.template, missed_runs = excluded.missed_runs, " +
        "paused = excluded.paused, updated_at = excluded.updated_at";

    public static void BindUpsert(SqliteCommand command, Schedule s, DateTimeOffset now)
    {
        command.Parameters.AddWithValue("$id", s.Id);
        command.Parameters.AddWithValue("$cron", s.Cron);
        command.Parameters.AddWithValue("$time_zone", s.TimeZone);
        command.Parameters.AddWithValue("$template", ScheduleTemplates.Write(s.Template));
        command.Parameters.AddWithValue("$missed_runs", s.MissedRuns.ToName());
        command.Parameters.AddWithValue("$paused", s.Paused ? 1 : 0);
        command.Parameters.AddWithValue("$next_run_at", (object?)TaskRows.Ms(s.NextRunAt) ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", TaskRows.Ms(now));
    }

    public static Schedule Read(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        Cron = r.GetString(1),
        TimeZone = r.GetString(2),
        Template = ScheduleTemplates.Read(r.GetString(3)),
        MissedRuns = MissedRunPolicies.TryParse(r.GetString(4), out var policy) ? policy : MissedRunPolicy.Skip,
        Paused = r.GetInt64(5) != 0,
        NextRunAt = Time(r, 6),
        LastRunAt = Time(r, 7),
        LastTaskId = r.IsDBNull(8) ? null : r.GetString(8),
        LastError = r.IsDBNull(9) ? null : r.GetString(9),
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(10)),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(11)),
    };

    private static DateTimeOffset? Time(SqliteDataReader r, int ordinal) =>
        r.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(ordinal));
}
