using Switchyard.Core.Model;

namespace Switchyard.Core.Engine;

/// <summary>What a blocked task should do given the states of its dependencies.</summary>
public enum DependencyVerdict
{
    /// <summary>Some dependency is still open.</summary>
    Wait,

    /// <summary>Every dependency is done: release the task.</summary>
    Release,

    /// <summary>A dependency failed or was cancelled and the policy is fail or cancel.</summary>
    Fail,
}

/// <summary>Decides a blocked task's fate from its dependencies; both stores ask this after every terminal move.</summary>
public static class DependencyResolution
{
    /// <param name="failed">The first dependency that failed or was cancelled when the verdict is <see cref="DependencyVerdict.Fail"/>.</param>
    public static DependencyVerdict Decide(TaskRecord task, IEnumerable<TaskRecord> dependencies, out TaskRecord? failed)
    {
        failed = null;
        var open = false;
        foreach (var dependency in dependencies)
        {
            switch (dependency.State)
            {
                case TaskState.Completed:
                    break;
                case TaskState.Failed or TaskState.Cancelled when task.OnDependencyFailure == DependencyFailurePolicy.Ignore:
                    break;
                case TaskState.Failed or TaskState.Cancelled:
                    failed ??= dependency;
                    break;
                default:
                    open = true;
                    break;
            }
        }

        return failed is not null ? DependencyVerdict.Fail : open ? DependencyVerdict.Wait : DependencyVerdict.Release;
    }

    /// <summary>The move that carries out <paramref name="verdict"/>, or null to keep waiting.</summary>
    public static Storage.AppliedTransition? MoveFor(
        TaskRecord task, DependencyVerdict verdict, TaskRecord? failed, long resultTtlMs, DateTimeOffset now) => verdict switch
        {
            DependencyVerdict.Release => TaskMoves.Release(task, now),
            DependencyVerdict.Fail => TaskMoves.DependencyFailed(task, failed!, resultTtlMs, now),
            _ => null,
        };
}
