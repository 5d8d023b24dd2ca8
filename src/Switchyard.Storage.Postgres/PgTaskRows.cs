using Npgsql;
using NpgsqlTypes;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Postgres;

/// <summary>Maps task rows to <see cref="TaskRecord"/> and back. Times are stored as Unix milliseconds, like the embedded store.</summary>
internal static class PgTaskRows
{
    public const string Columns =
        "seq, id, type, queue, grp, priority, state, payload, result, error, attempt, max_attempts, retry, timeout_ms, " +
        "deadline_at, lease_ms, run_at, parent_id, correlation_id, idempotency_key, review, rejection_count, feedback, " +
        "progress, labels::text, scope, lease_worker, lease_token, lease_expires_at, cancel_requested, created_at, updated_at, " +
        "started_at, finished_at, result_expires_at, result_ttl_ms, depends_on, on_dependency_failure, max_rejections, " +
        "review_holder, review_token, review_expires_at, lease_length_ms";

    /// <summary>Writes every column a move may change, only if the task is still in the state that was read.</summary>
    public const string Update =
        "UPDATE tasks SET priority = @priority, state = @state, result = @result, error = @error, attempt = @attempt, " +
        "deadline_at = @deadline_at, run_at = @run_at, rejection_count = @rejection_count, feedback = @feedback, " +
        "progress = @progress, lease_worker = @lease_worker, lease_token = @lease_token, lease_expires_at = @lease_expires_at, " +
        "lease_length_ms = @lease_length_ms, " +
        "cancel_requested = @cancel_requested, updated_at = @updated_at, started_at = @started_at, finished_at = @finished_at, " +
        "result_expires_at = @result_expires_at, review_holder = @review_holder, review_token = @review_token, " +
        "review_expires_at = @review_expires_at WHERE seq = @seq AND state = @expected_state";

    public static void BindUpdate(NpgsqlCommand command, long seq, TaskRecord t, TaskState expected) =>
        BindUpdate(command.Parameters, seq, t, expected);

    public static void BindUpdate(NpgsqlParameterCollection parameters, long seq, TaskRecord t, TaskState expected)
    {
        Set(parameters, "seq", seq);
        Set(parameters, "expected_state", expected.ToName());
        BindMutable(parameters, t);
    }

    public static long? Ms(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static void Set(NpgsqlCommand command, string name, object? value) => Set(command.Parameters, name, value);

    public static void Set(NpgsqlParameterCollection parameters, string name, object? value) =>
        parameters.AddWithValue(name, value ?? DBNull.Value);

    private static void BindMutable(NpgsqlParameterCollection command, TaskRecord t)
    {
        Typed(command, "priority", t.Priority);
        Typed(command, "state", t.State.ToName());
        Typed(command, "result", t.Result?.Raw);
        Typed(command, "error", t.Error is null ? null : StoredJson.Write(t.Error));
        Typed(command, "attempt", t.Attempt);
        Typed(command, "deadline_at", Ms(t.DeadlineAt));
        Typed(command, "run_at", Ms(t.RunAt));
        Typed(command, "rejection_count", t.RejectionCount);
        Typed(command, "feedback", t.Feedback);
        Typed(command, "progress", t.Progress is null ? null : StoredJson.Write(t.Progress));
        Typed(command, "lease_worker", t.Lease?.WorkerId);
        Typed(command, "lease_token", t.Lease?.Token);
        Typed(command, "lease_expires_at", Ms(t.Lease?.ExpiresAt));
        Typed(command, "lease_length_ms", t.Lease?.LengthMs);
        Typed(command, "cancel_requested", t.CancelRequested);
        Typed(command, "updated_at", Ms(t.UpdatedAt));
        Typed(command, "started_at", Ms(t.StartedAt));
        Typed(command, "finished_at", Ms(t.FinishedAt));
        Typed(command, "result_expires_at", Ms(t.ResultExpiresAt));
        Typed(command, "review_holder", t.ReviewLease?.WorkerId);
        Typed(command, "review_token", t.ReviewLease?.Token);
        Typed(command, "review_expires_at", Ms(t.ReviewLease?.ExpiresAt));
    }

    /// <summary>A parameter typed by <typeparamref name="T"/> even when null, so the statement stays the one prepared.</summary>
    public static void Typed<T>(NpgsqlParameterCollection parameters, string name, T value) =>
        parameters.Add(new NpgsqlParameter<T>(name, value));
}
