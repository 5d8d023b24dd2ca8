using Microsoft.Data.Sqlite;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Sqlite;

/// <summary>Maps task rows to <see cref="TaskRecord"/> and back. Times are stored as Unix milliseconds.</summary>
internal static class TaskRows
{
    public const string Columns =
        "seq, id, type, queue, grp, priority, state, payload, result, error, attempt, max_attempts, retry, timeout_ms, " +
        "deadline_at, lease_ms, run_at, parent_id, correlation_id, idempotency_key, review, rejection_count, feedback, " +
        "progress, labels, scope, lease_worker, lease_token, lease_expires_at, cancel_requested, created_at, updated_at, " +
        "started_at, finished_at, result_expires_at, result_ttl_ms, depends_on, on_dependency_failure, max_rejections, " +
        "review_holder, review_token, review_expires_at, lease_length_ms";

    public const string Insert =
        "INSERT INTO tasks (" + Columns + ") VALUES ($seq, $id, $type, $queue, $grp, $priority, $state, $payload, $result, " +
        "$error, $attempt, $max_attempts, $retry, $timeout_ms, $deadline_at, $lease_ms, $run_at, $parent_id, $correlation_id, " +
        "$idempotency_key, $review, $rejection_count, $feedback, $progress, $labels, $scope, $lease_worker, $lease_token, " +
        "$lease_expires_at, $cancel_requested, $created_at, $updated_at, $started_at, $finished_at, $result_expires_at, $result_ttl_ms, " +
        "$depends_on, $on_dependency_failure, $max_rejections, $review_holder, $review_token, $review_expires_at, $lease_length_ms)";

    /// <summary>Writes every column a move may change, only if the task is still in the state that was read.</summary>
    public const string Update =
        "UPDATE tasks SET priority = $priority, state = $state, result = $result, error = $error, attempt = $attempt, " +
        "deadline_at = $deadline_at, run_at = $run_at, rejection_count = $rejection_count, feedback = $feedback, " +
        "progress = $progress, lease_worker = $lease_worker, lease_token = $lease_token, lease_expires_at = $lease_expires_at, " +
        "lease_length_ms = $lease_length_ms, " +
        "cancel_requested = $cancel_requested, updated_at = $updated_at, started_at = $started_at, finished_at = $finished_at, " +
        "result_expires_at = $result_expires_at, review_holder = $review_holder, review_token = $review_token, " +
        "review_expires_at = $review_expires_at WHERE seq = $seq AND state = $expected_state";

    /// <summary>Binds every column, for an insert.</summary>
    public static void BindInsert(RawCommand command, TaskRecord t)
    {
        Set(command, "$seq", null);
        Set(command, "$id", t.Id);
        Set(command, "$type", t.Type);
        Set(command, "$queue", t.Queue);
        Set(command, "$grp", t.Group);
        Set(command, "$payload", t.Payload.Raw ?? "null");
        Set(command, "$max_attempts", t.MaxAttempts);
        Set(command, "$retry", StoredJson.Write(t.Retry));
        Set(command, "$timeout_ms", t.TimeoutMs);
        Set(command, "$lease_ms", t.LeaseMs);
        Set(command, "$parent_id", t.ParentId);
        Set(command, "$correlation_id", t.CorrelationId);
        Set(command, "$idempotency_key", t.IdempotencyKey);
        Set(command, "$review", t.Review == ReviewMode.Required ? "required" : "none");
        Set(command, "$labels", StoredJson.Write(t.Labels));
        Set(command, "$scope", t.Scope);
        Set(command, "$created_at", Ms(t.CreatedAt));
        Set(command, "$result_ttl_ms", t.ResultTtlMs);
        Set(command, "$depends_on", StoredJson.Write(t.DependsOn));
        Set(command, "$on_dependency_failure", t.OnDependencyFailure.ToName());
        Set(command, "$max_rejections", t.MaxRejections);
        BindMutable(command, t);
    }

    /// <summary>Binds the columns a move may change, for <see cref="Update"/>.</summary>
    public static void BindUpdate(RawCommand command, long seq, TaskRecord t, TaskState expected)
    {
        Set(command, "$seq", seq);
        Set(command, "$expected_state", expected.ToName());
        BindMutable(command, t);
    }

    private static void BindMutable(RawCommand command, TaskRecord t)
    {
        Set(command, "$priority", t.Priority);
        Set(command, "$state", t.State.ToName());
        Set(command, "$result", t.Result?.Raw);
        Set(command, "$error", t.Error is null ? null : StoredJson.Write(t.Error));
        Set(command, "$attempt", t.Attempt);
        Set(command, "$deadline_at", Ms(t.DeadlineAt));
        Set(command, "$run_at", Ms(t.RunAt));
        Set(command, "$rejection_count", t.RejectionCount);
        Set(command, "$feedback", t.Feedback);
        Set(command, "$progress", t.Progress is null ? null : StoredJson.Write(t.Progress));
        Set(command, "$lease_worker", t.Lease?.WorkerId);
        Set(command, "$lease_token", t.Lease?.Token);
        Set(command, "$lease_expires_at", Ms(t.Lease?.ExpiresAt));
        Set(command, "$lease_length_ms", t.Lease?.LengthMs);
        Set(command, "$cancel_requested", t.CancelRequested ? 1 : 0);
        Set(command, "$updated_at", Ms(t.UpdatedAt));
        Set(command, "$started_at", Ms(t.StartedAt));
        Set(command, "$finished_at", Ms(t.FinishedAt));
        Set(command, "$result_expires_at", Ms(t.ResultExpiresAt));
        Set(command, "$review_holder", t.ReviewLease?.WorkerId);
        Set(command, "$review_token", t.ReviewLease?.Token);
        Set(command, "$review_expires_at", Ms(t.ReviewLease?.ExpiresAt));
    }

    public static (long Seq, TaskRecord Task) Read(SqliteDataReader r) => TaskRowReader.Read(r);

    public static long? Ms(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static void Set(RawCommand command, string name, object? value) => command.TrySet(name, value);
}
