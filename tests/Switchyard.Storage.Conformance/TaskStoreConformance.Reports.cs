using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Conformance;

public abstract partial class TaskStoreConformance
{
    /// <summary>
    /// Many workers' reports at once (which a store may apply together, in one transaction): each is answered exactly as
    /// if it had come alone — the first report of a task wins, a repeat or a stale token is refused, an unknown task is
    /// not found, a failure retries, a completion releases the task blocked on it — and none changes another.
    /// </summary>
    [Fact]
    public async Task Reports_ManyAtOnce_EachAnsweredAsIfAlone()
    {
        const int Tasks = 60;
        await EnqueueAsync([.. Enumerable.Range(0, Tasks).Select(i => Spec($"r{i}") with { MaxAttempts = 2 }),
            Spec("waits") with { DependsOn = ["r0"] }]);
        var claimed = await ClaimAsync(Tasks);
        Assert.Equal(Tasks, claimed.Count);

        var reports = new List<(string Kind, TaskRecord Task, Task<Outcome<AppliedTransition>> Outcome)>();
        foreach (var task in claimed)
        {
            var n = int.Parse(task.Id[1..], System.Globalization.CultureInfo.InvariantCulture);
            var first = n % 3 == 0 ? FailAsync(task, RetryableError) : CompleteAsync(task);
            reports.Add((n % 3 == 0 ? "fail" : "complete", task, first));
            if (n % 4 == 0)
            {
                reports.Add(("repeat", task, CompleteAsync(task.Id, task.Lease!.Token, "\"again\"")));
            }

            if (n % 5 == 0)
            {
                reports.Add(("stale", task, CompleteAsync(task.Id, task.Lease!.Token + 1_000_000)));
            }
        }

        reports.Add(("unknown", claimed[0], CompleteAsync("nobody", 1)));
        await Task.WhenAll(reports.Select(r => r.Outcome)).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        foreach (var (kind, task, outcome) in reports)
        {
            var result = await outcome;
            switch (kind)
            {
                case "complete":
                    AssertApplied(result, TaskState.Running, TaskTrigger.Complete, TaskState.Completed);
                    Assert.Equal("{\"ok\":true}", (await GetRequiredAsync(task.Id)).Result?.Raw);
                    break;
                case "fail":
                    AssertApplied(result, TaskState.Running, TaskTrigger.Fail, TaskState.Queued);
                    break;
                case "unknown":
                    AssertRefused(result, ErrorCodes.NotFound);
                    break;
                default:
                    AssertRefused(result, ErrorCodes.StaleLease);
                    break;
            }
        }

        Assert.Equal(TaskState.Queued, await StateOfAsync("r0")); // r0 failed and retries: its dependent still waits
        Assert.Equal(TaskState.Blocked, await StateOfAsync("waits"));
        Assert.Equal((0, Tasks / 3, Tasks - (Tasks / 3)),
            (await CountAsync(TaskState.Running), await CountAsync(TaskState.Queued), await CountAsync(TaskState.Completed)));
        foreach (var task in claimed)
        {
            await AssertHistoryLegalAsync(task.Id);
        }

        var again = await ClaimAsync(Tasks);
        var done = await Task.WhenAll(again.Select(CompleteAsync)).WaitAsync(TimeSpan.FromSeconds(60), Ct);
        Assert.All(done, d => AssertApplied(d, TaskState.Running, TaskTrigger.Complete, TaskState.Completed));
        var released = Assert.Single(done.Single(d => d.Value!.Task.Id == "r0").Value!.Consequences);
        Assert.Equal(("waits", TaskState.Queued), (released.Task.Id, released.Task.State));
    }
}
