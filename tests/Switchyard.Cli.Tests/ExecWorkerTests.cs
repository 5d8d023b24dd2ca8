using System.Collections.Concurrent;
using Switchyard.Cli.Worker;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;

namespace Switchyard.Tests;

public sealed class ExecWorkerTests : ServerTest
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RunAsync_TaskCancelledWhileRunning_KillsCommandAndReportsCancelled()
    {
        var id = await SubmitAsync();
        var observer = new Observer();
        var worker = Worker("sleep 30", observer, leaseMs: 1_500, maxTasks: 1);
        var running = worker.RunAsync(Ct, CancellationToken.None);
        await observer.CommandStarted.Task.WaitAsync(Bound, Ct);

        await Client.CancelAsync(id, cancellationToken: Ct);
        var reports = await running.WaitAsync(TimeSpan.FromSeconds(15), Ct);

        var report = Assert.Single(reports);
        Assert.Equal(TaskOutcome.Cancelled, report.Outcome);
        Assert.True(report.Duration < TimeSpan.FromSeconds(20), $"took {report.Duration}");
        Assert.Equal(report, Assert.Single(observer.Finished));
    }

    [Fact]
    public async Task RunAsync_StopWithinGrace_LetsRunningCommandFinish()
    {
        var id = await SubmitAsync();
        var observer = new Observer();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var worker = Worker("sleep 1; echo '{\"finished\":true}'", observer, grace: TimeSpan.FromSeconds(60));
        var running = worker.RunAsync(stop.Token, CancellationToken.None);
        await observer.CommandStarted.Task.WaitAsync(Bound, Ct);

        await stop.CancelAsync();
        var reports = await running.WaitAsync(Bound, Ct);

        Assert.Equal(TaskOutcome.Completed, Assert.Single(reports).Outcome);
        Assert.Equal("""{"finished":true}""", (await Client.GetAsync(id, cancellationToken: Ct)).Result?.Raw);
    }

    [Fact]
    public async Task RunAsync_AbortDuringGrace_KillsCommandAndReportsItRetryable()
    {
        var id = await SubmitAsync();
        var observer = new Observer();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var abort = new CancellationTokenSource();
        var worker = Worker("sleep 30", observer, grace: TimeSpan.FromMinutes(5));
        var running = worker.RunAsync(stop.Token, abort.Token);
        await observer.CommandStarted.Task.WaitAsync(Bound, Ct);

        await stop.CancelAsync();
        await abort.CancelAsync();
        var reports = await running.WaitAsync(TimeSpan.FromSeconds(15), Ct);

        Assert.Equal(TaskOutcome.Abandoned, Assert.Single(reports).Outcome);
        var task = await Client.GetAsync(id, cancellationToken: Ct);
        Assert.Equal(("worker_stopped", "retryable"), (task.Error?.Code, task.Error?.Kind));
    }

    [Fact]
    public async Task RunAsync_ShellMissing_FailsTaskRetryable()
    {
        var id = await SubmitAsync();
        var worker = new ExecWorker(Client, Options("true", 1) with { Shell = "/no/such/shell" }, new Observer(), TimeProvider.System);

        var report = Assert.Single(await worker.RunAsync(Ct, CancellationToken.None).WaitAsync(Bound, Ct));

        Assert.Equal(TaskOutcome.Retrying, report.Outcome);
        Assert.Contains("/no/such/shell", (await Client.GetAsync(id, cancellationToken: Ct)).Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_LongRunningCommand_KeepsLeaseAlive()
    {
        var id = await SubmitAsync();
        var observer = new Observer();
        var worker = Worker("sleep 2; echo done", observer, leaseMs: 1_000, maxTasks: 1);

        var report = Assert.Single(await worker.RunAsync(Ct, CancellationToken.None).WaitAsync(Bound, Ct));

        Assert.Equal(TaskOutcome.Completed, report.Outcome);
        Assert.Equal(1, (await Client.GetAsync(id, cancellationToken: Ct)).Attempt);
    }

    [Theory]
    [InlineData("", "null")]
    [InlineData("{\"a\": 1}\n", "{\"a\": 1}")]
    [InlineData("two\nlines\n", "\"two\\nlines\"")]
    public void ResultOf_Stdout_IsJsonOrJsonString(string stdout, string expected) =>
        Assert.Equal(expected, TaskRunner.ResultOf(stdout).Raw);

    private ExecWorker Worker(string command, Observer observer, long? leaseMs = null, int? maxTasks = null, TimeSpan? grace = null) =>
        new(Client, Options(command, maxTasks) with { LeaseMs = leaseMs, Grace = grace ?? ExecWorkerOptions.DefaultGrace }, observer, TimeProvider.System);

    private static ExecWorkerOptions Options(string command, int? maxTasks) =>
        new() { Command = command, WorkerId = "test-worker", MaxTasks = maxTasks, KillGrace = TimeSpan.FromSeconds(2) };

    private async Task<string> SubmitAsync() =>
        (await Client.SubmitAsync(new SubmitTaskRequest { Type = "job", MaxAttempts = 3, Payload = JsonText.Parse("{}") }, cancellationToken: Ct)).Task.Id;

    private sealed class Observer : IWorkerObserver
    {
        public TaskCompletionSource<int> CommandStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<TaskReport> Finished { get; } = new();

        public void WorkerStarted(ExecWorkerOptions options)
        {
        }

        public void TaskStarted(TaskDto task, int processId) => CommandStarted.TrySetResult(processId);

        public void TaskFinished(TaskReport report) => Finished.Enqueue(report);

        public void Notice(string message)
        {
        }
    }
}
