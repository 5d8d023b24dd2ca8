using System.Collections.Concurrent;
using Switchyard.Cli.Worker;
using Switchyard.Client;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;

namespace Switchyard.Tests;

/// <summary>
/// A pull worker whose command finishes while the server is away reports once it is back, so the task runs once; one
/// whose heartbeats cannot reach the server for a whole lease stops its command.
/// </summary>
public sealed class ExecWorkerRestartTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private readonly ServerHome _home = new();
    private readonly string _go = Path.Combine(Path.GetTempPath(), "switchyard-tests", Guid.NewGuid().ToString("N") + ".go");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Uri Address => _home.Address;

    [Fact]
    public async Task Report_ServerAwayWhenTheCommandEnds_SentOnceItIsBack()
    {
        using var client = new SwitchyardClient(Address);
        var notices = new ConcurrentQueue<string>();
        var observer = new Observer(notices);
        var options = new ExecWorkerOptions
        {
            Command = $"while [ ! -e '{_go}' ]; do sleep 0.05; done; echo '{{\"ran\":true}}'",
            WorkerId = "pull-restart",
            MaxTasks = 1,
            LeaseMs = 60_000,
            KillGrace = TimeSpan.FromSeconds(2),
        };
        Task<IReadOnlyList<TaskReport>> running;
        string id;
        await using (var first = await StartAsync())
        {
            id = (await client.SubmitAsync(new SubmitTaskRequest { Type = "job", Payload = JsonText.Parse("{}") }, cancellationToken: Ct)).Task.Id;
            running = new ExecWorker(client, options, observer, TimeProvider.System).RunAsync(Ct, CancellationToken.None);
            await observer.CommandStarted.Task.WaitAsync(Bound, Ct);
        }

        await File.WriteAllTextAsync(_go, "", Ct); // the command ends while no server listens
        await observer.Noticed.Task.WaitAsync(Bound, Ct);
        await using var second = await StartAsync();
        var report = Assert.Single(await running.WaitAsync(Bound, Ct));

        Assert.Equal(TaskOutcome.Completed, report.Outcome);
        Assert.Contains(notices, n => n.StartsWith($"{id}: cannot report yet", StringComparison.Ordinal));
        var task = await client.GetAsync(id, cancellationToken: Ct);
        Assert.Equal(("completed", 1, """{"ran":true}"""), (task.State, task.Attempt, task.Result?.Raw));
    }

    [Fact]
    public async Task Heartbeats_ServerGoneForALease_CommandStoppedAsTheLeaseRunsOut()
    {
        using var client = new SwitchyardClient(Address);
        var notices = new ConcurrentQueue<string>();
        var observer = new Observer(notices);
        var options = new ExecWorkerOptions
        {
            Command = $"while [ ! -e '{_go}' ]; do sleep 0.05; done",
            WorkerId = "pull-lapse",
            MaxTasks = 1,
            LeaseMs = 1_500,
            KillGrace = TimeSpan.FromSeconds(1),
        };
        Task<IReadOnlyList<TaskReport>> running;
        string id;
        await using (var server = await StartAsync())
        {
            id = (await client.SubmitAsync(new SubmitTaskRequest { Type = "job", Payload = JsonText.Parse("{}") }, cancellationToken: Ct)).Task.Id;
            running = new ExecWorker(client, options, observer, TimeProvider.System).RunAsync(Ct, CancellationToken.None);
            await observer.CommandStarted.Task.WaitAsync(Bound, Ct);
        }

        // The server stays away: the command (which would wait for ever) is stopped once the lease has run out.
        var report = Assert.Single(await running.WaitAsync(Bound, Ct));

        Assert.Equal(TaskOutcome.LeaseLost, report.Outcome);
        Assert.Contains(notices, n => n.StartsWith($"{id}: no heartbeat reached the server for 1500 ms", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        File.Delete(_go);
        _home.Dispose();
    }

    private Task<TestServer> StartAsync() => _home.StartAsync();

    private sealed class Observer(ConcurrentQueue<string> notices) : IWorkerObserver
    {
        public TaskCompletionSource<int> CommandStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Noticed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void WorkerStarted(ExecWorkerOptions options)
        {
        }

        public void TaskStarted(TaskDto task, int processId) => CommandStarted.TrySetResult(processId);

        public void TaskFinished(TaskReport report)
        {
        }

        public void Notice(string message)
        {
            notices.Enqueue(message);
            if (message.Contains("cannot report yet", StringComparison.Ordinal))
            {
                Noticed.TrySetResult();
            }
        }
    }
}
