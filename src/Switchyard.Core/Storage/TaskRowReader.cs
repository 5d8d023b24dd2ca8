using System.Data.Common;
using Switchyard.Core.Model;

namespace Switchyard.Core.Storage;

/// <summary>
/// Reads a task row in the column order every store selects (seq, id, type, …, review_expires_at, lease_length_ms; times as Unix
/// milliseconds, small structures as <see cref="StoredJson"/>) and history rows, whatever the database.
/// </summary>
public static class TaskRowReader
{
    public static (long Seq, TaskRecord Task) Read(DbDataReader r)
    {
        var leaseToken = NullableLong(r, 27);
        var reviewToken = NullableLong(r, 40);
        var task = new TaskRecord
        {
            Id = r.GetString(1),
            Type = r.GetString(2),
            Queue = r.GetString(3),
            Group = r.GetString(4),
            Priority = r.GetInt32(5),
            State = TaskStates.Parse(r.GetString(6)),
            Payload = new JsonText(r.GetString(7)),
            Result = r.IsDBNull(8) ? null : new JsonText(r.GetString(8)),
            Error = r.IsDBNull(9) ? null : StoredJson.ReadError(r.GetString(9)),
            Attempt = r.GetInt32(10),
            MaxAttempts = r.GetInt32(11),
            Retry = StoredJson.ReadRetry(r.GetString(12)),
            TimeoutMs = NullableLong(r, 13),
            DeadlineAt = Time(r, 14),
            LeaseMs = NullableLong(r, 15),
            RunAt = Time(r, 16),
            ParentId = NullableString(r, 17),
            CorrelationId = NullableString(r, 18),
            IdempotencyKey = NullableString(r, 19),
            Review = r.GetString(20) == "required" ? ReviewMode.Required : ReviewMode.None,
            RejectionCount = r.GetInt32(21),
            Feedback = NullableString(r, 22),
            Progress = r.IsDBNull(23) ? null : StoredJson.ReadProgress(r.GetString(23)),
            Labels = StoredJson.ReadLabels(NullableString(r, 24)),
            Scope = r.GetString(25),
            Lease = leaseToken is { } token ? new Lease(r.GetString(26), token, Time(r, 28)!.Value) { LengthMs = NullableLong(r, 42) } : null,
            CancelRequested = Convert.ToBoolean(r.GetValue(29), System.Globalization.CultureInfo.InvariantCulture),
            CreatedAt = Time(r, 30)!.Value,
            UpdatedAt = Time(r, 31)!.Value,
            StartedAt = Time(r, 32),
            FinishedAt = Time(r, 33),
            ResultExpiresAt = Time(r, 34),
            ResultTtlMs = NullableLong(r, 35),
            DependsOn = Ids(r, 36),
            OnDependencyFailure = DependencyFailurePolicies.TryParse(r.GetString(37), out var policy) ? policy : DependencyFailurePolicy.Fail,
            MaxRejections = r.GetInt32(38),
            ReviewLease = reviewToken is { } review ? new Lease(r.GetString(39), review, Time(r, 41)!.Value) : null,
        };
        return (r.GetInt64(0), task);
    }

    /// <summary>A history row selected as (task seq, at, event, from, to, actor, reason, attempt); null when the join found none.</summary>
    public static HistoryEntry? ReadHistory(DbDataReader r, string taskId) =>
        r.IsDBNull(1)
            ? null
            : new HistoryEntry(
                taskId,
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)),
                r.GetString(2),
                r.IsDBNull(3) ? null : TaskStates.Parse(r.GetString(3)),
                TaskStates.Parse(r.GetString(4)),
                NullableString(r, 5),
                NullableString(r, 6),
                r.GetInt32(7));

    /// <summary>Dependency ids: a text array where the database has one, JSON text where it does not.</summary>
    private static IReadOnlyList<string> Ids(DbDataReader r, int i) =>
        r.IsDBNull(i) ? TaskDefaults.NoDependencies
        : r.GetValue(i) is string[] array ? array
        : StoredJson.ReadIds(r.GetString(i));

    private static DateTimeOffset? Time(DbDataReader r, int i) =>
        r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));

    private static long? NullableLong(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    private static string? NullableString(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
