using Switchyard.Core.Model;

namespace Switchyard.Storage.Conformance;

public abstract partial class TaskStoreConformance
{
    /// <summary>
    /// A reason, feedback or error message with a NUL character (a program's stderr can have one) is stored, not
    /// refused with a server fault, and reads back alike from both stores: NUL as U+FFFD (PostgreSQL's text cannot hold it).
    /// </summary>
    [Fact]
    public async Task FreeText_WithNul_StoredReadingNulAsReplacementCharacter()
    {
        await InReviewAsync("essay");
        AssertApplied(await RejectAsync("essay", "too\0short"), TaskState.Review, TaskTrigger.Reject, TaskState.Queued);
        var again = await ClaimOneAsync();
        Assert.Equal("too\uFFFDshort", again.Feedback);

        AssertApplied(await FailAsync(again, new TaskError("exit\03", "bad\0byte", ErrorKind.Fatal)), TaskState.Running, TaskTrigger.Fail, TaskState.Failed);
        var failed = await GetRequiredAsync("essay");
        Assert.Equal(("exit\uFFFD3", "bad\uFFFDbyte"), (failed.Error!.Code, failed.Error.Message));

        AssertApplied(await RetryAsync("essay", reason: "once\0more"), TaskState.Failed, TaskTrigger.Retry, TaskState.Queued);
        AssertApplied(await CancelAsync("essay", reason: "not\0needed"), TaskState.Queued, TaskTrigger.Cancel, TaskState.Cancelled);

        var reasons = (await HistoryAsync("essay"))!.Where(h => h.Event is "rejected" or "failed" or "retried" or "cancelled").Select(h => (h.Event, h.Reason));
        Assert.Equal([("rejected", "too\uFFFDshort"), ("failed", "bad\uFFFDbyte"), ("retried", "once\uFFFDmore"), ("cancelled", "not\uFFFDneeded")], reasons);
    }
}
