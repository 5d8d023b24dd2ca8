using Switchyard.Core.Model;
using Switchyard.Core.Policies;

namespace Switchyard.Core.Tests;

/// <summary>Task records in a given state, shaped the way the engine would have left them there.</summary>
internal static class TestTasks
{
    public const long LeaseToken = 7;
    public const long ResultTtlMs = 60_000;

    public static DateTimeOffset T0 { get; } = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TaskRecord InState(TaskState state, int attempt = 1, int maxAttempts = 3, RetryPolicy? retry = null) => new()
    {
        Id = "task-1",
        Type = "test.echo",
        State = state,
        Attempt = state is TaskState.Queued or TaskState.Scheduled or TaskState.Blocked ? attempt - 1 : attempt,
        MaxAttempts = maxAttempts,
        Retry = retry ?? RetryPolicy.Immediate,
        Lease = state is TaskState.Running or TaskState.Cancelled ? new Lease("worker-1", LeaseToken, T0.AddSeconds(30)) : null,
        Result = state is TaskState.Completed or TaskState.Review ? new JsonText("{\"ok\":true}") : null,
        Error = state == TaskState.Failed ? new TaskError("boom", "it broke", ErrorKind.Fatal) : null,
        FinishedAt = state.IsTerminal() ? T0 : null,
        ResultExpiresAt = state.IsTerminal() ? T0.AddMilliseconds(ResultTtlMs) : null,
        CreatedAt = T0,
        UpdatedAt = T0,
    };

    public static TaskRecord Running(int attempt = 1, int maxAttempts = 3, RetryPolicy? retry = null) =>
        InState(TaskState.Running, attempt, maxAttempts, retry);
}
