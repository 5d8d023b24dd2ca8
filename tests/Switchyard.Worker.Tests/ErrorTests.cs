using Switchyard.Client.Contracts;
using Switchyard.Core.Model;

namespace Switchyard.Worker.Tests;

public sealed class ErrorTests : WorkerTest
{
    private static readonly RetryDto NoDelay = new("fixed", 0);

    [Fact]
    public async Task OtherException_IsRetryable_NextAttemptRuns()
    {
        var worker = NewWorker().Handle("flaky", async (ctx, ct) =>
        {
            await Task.Yield();
            return ctx.Attempt == 1 ? throw new InvalidOperationException("first try breaks") : new JsonText("\"ok\"");
        });
        await StartAsync(worker);

        var task = await Server.SubmitAsync("flaky", change: r => r with { MaxAttempts = 3, Retry = NoDelay });
        var done = await Server.WaitSettledAsync(task.Id);

        Assert.Equal(("completed", 2), (done.State, done.Attempt));
        var history = await Client.HistoryAsync(task.Id, Ct);
        Assert.Contains(history, h => h.Reason?.Contains("first try breaks", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task OtherException_AttemptsSpent_FailsWithHandlerError()
    {
        var worker = NewWorker().Handle("broken", Throwing(() => new InvalidOperationException("always")));
        await StartAsync(worker);

        var done = await Server.WaitSettledAsync((await Server.SubmitAsync("broken", change: r => r with { MaxAttempts = 2, Retry = NoDelay })).Id);

        Assert.Equal(("failed", 2), (done.State, done.Attempt));
        Assert.Equal(("handler_error", "retryable", "always"), (done.Error?.Code, done.Error?.Kind, done.Error?.Message));
        Assert.Contains("System.InvalidOperationException", done.Error?.Details?.Raw, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ErrorKind.Fatal, "fatal")]
    [InlineData(ErrorKind.UserActionable, "user_actionable")]
    public async Task TaskFailedException_NotRetryable_FailsAtOnce(ErrorKind kind, string name)
    {
        var worker = NewWorker().Handle("picky", Throwing(() =>
            new TaskFailedException("bad_input", "the input is wrong", kind, details: JsonText.Parse("""{"field":"x"}"""))));
        await StartAsync(worker);

        var done = await Server.WaitSettledAsync((await Server.SubmitAsync("picky", change: r => r with { MaxAttempts = 3, Retry = NoDelay })).Id);

        Assert.Equal(("failed", 1), (done.State, done.Attempt));
        Assert.Equal(("bad_input", name, "the input is wrong"), (done.Error?.Code, done.Error?.Kind, done.Error?.Message));
        Assert.Equal("""{"field":"x"}""", done.Error?.Details?.Raw);
    }

    [Fact]
    public async Task TaskFailedException_RetryAfter_PostponesTheNextAttempt()
    {
        var worker = NewWorker().Handle("later", async (ctx, ct) =>
        {
            await Task.Yield();
            return ctx.Attempt == 1
                ? throw new TaskFailedException("busy", "come back later", ErrorKind.Retryable, TimeSpan.FromSeconds(30))
                : JsonText.Null;
        });
        await StartAsync(worker);

        var task = await Server.SubmitAsync("later", change: r => r with { MaxAttempts = 3, Retry = NoDelay });
        var postponed = await Server.WaitPastRunningAsync(task.Id);
        var failure = (await Client.HistoryAsync(task.Id, Ct)).Last(h => h.Event == "failed");

        Assert.Equal("scheduled", postponed.State);
        Assert.True(postponed.RunAt > failure.At.AddSeconds(20), $"runAt {postponed.RunAt} should be ~30 s after {failure.At}");
    }

    private static Func<TaskContext, CancellationToken, Task<JsonText>> Throwing(Func<Exception> exception) =>
        (_, _) => Task.FromException<JsonText>(exception());
}
