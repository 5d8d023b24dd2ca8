using Switchyard.Client.Contracts.Worker;
using Switchyard.Core.Model;

namespace Switchyard.Server.WebSockets;

/// <summary>
/// What a worker's frame after <c>hello</c> must carry to be acted on; one that parses but lacks a field it needs is
/// answered with <c>error {code: validation_failed}</c> and changes nothing (see <see cref="HelloRules"/> for hello).
/// </summary>
internal static class FrameRules
{
    /// <summary>Why <paramref name="message"/> is refused, or null when it may be handled.</summary>
    public static string? Invalid(WorkerMessage message, int maxCapacity) => message switch
    {
        CompleteMessage complete => Lease("complete", complete.TaskId, complete.LeaseToken),
        FailMessage fail => Lease("fail", fail.TaskId, fail.LeaseToken)
            ?? (fail.Error is null ? "fail needs error {message, code?, kind?}" : null),
        ProgressMessage progress => Lease("progress", progress.TaskId, progress.LeaseToken)
            ?? (TaskProgress.PercentProblem(progress.Percent) is { } problem ? $"progress percent {problem}" : null),
        HeartbeatMessage heartbeat => heartbeat.Tasks is null || heartbeat.Tasks.Any(t => t is null || string.IsNullOrEmpty(t.TaskId) || t.LeaseToken < 1)
            ? "heartbeat needs tasks: [{taskId, leaseToken}], each with both"
            : null,
        CreditMessage credit => credit.Credits < 1 || credit.Credits > maxCapacity
            ? $"credit needs credits, a whole number from 1 to {maxCapacity}, not {credit.Credits}"
            : null,
        _ => null,
    };

    /// <summary>The task a refused frame was about, when it names one.</summary>
    public static string? TaskOf(WorkerMessage message) => message switch
    {
        CompleteMessage { TaskId: { Length: > 0 } id } => id,
        FailMessage { TaskId: { Length: > 0 } id } => id,
        ProgressMessage { TaskId: { Length: > 0 } id } => id,
        _ => null,
    };

    private static string? Lease(string frame, string? taskId, long leaseToken) =>
        string.IsNullOrEmpty(taskId) || leaseToken < 1 ? $"{frame} needs taskId and leaseToken (the task's lease.token)" : null;
}
