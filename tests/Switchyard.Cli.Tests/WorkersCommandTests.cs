using System.Text.Json;
using Switchyard.Client.Contracts;
using Switchyard.Worker;

namespace Switchyard.Tests;

public sealed class WorkersCommandTests : ServerTest
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Workers_ListedThenToldQuietThenTerminated()
    {
        await using var worker = new SwitchyardWorker(new SwitchyardWorkerOptions { Server = Server.BaseAddress, Name = "gpu-1", Capacity = 2 });
        worker.Handle("echo", (context, _) => Task.FromResult(context.Payload));
        _ = worker.StartAsync(Ct);
        var id = await worker.WaitUntilConnectedAsync(Ct).WaitAsync(Bound, Ct);

        var table = await CliRun.RunAsync(Server.BaseAddress, ["workers"]);
        Assert.Equal(0, table.ExitCode);
        var lines = table.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["ID", "NAME", "PROTOCOL", "QUEUES", "GROUPS", "TYPES", "FREE", "TASKS", "QUIET", "CONNECTED"],
            lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)); // alone on its store: no NODE column
        Assert.Equal([id, "gpu-1", "switchyard/1", "default", "-", "echo", "2", "0", "no"],
            lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..9]);

        var json = await CliRun.RunAsync(Server.BaseAddress, ["workers", "--json"]);
        var listed = JsonSerializer.Deserialize(json.Out, ContractsJsonContext.Default.WorkerDto)!;
        Assert.Equal((id, 2, (string?)null), (listed.Id, listed.Credits, listed.Node));

        var quiet = await CliRun.RunAsync(Server.BaseAddress, ["workers", "quiet", id, "--json"]);
        Assert.True(JsonSerializer.Deserialize(quiet.Out, ContractsJsonContext.Default.WorkerDto)!.Quiet, quiet.Error);
        Assert.True(Assert.Single(await Client.ListWorkersAsync(Ct)).Quiet);

        var terminate = await CliRun.RunAsync(Server.BaseAddress, ["workers", "terminate", id, "--grace-seconds", "0"]);
        Assert.Equal(0, terminate.ExitCode);
        await worker.Completion.WaitAsync(Bound, Ct);
    }

    [Fact]
    public async Task WorkersQuiet_UnknownWorker_NotFoundExit1()
    {
        var run = await CliRun.RunAsync(Server.BaseAddress, ["workers", "quiet", "nobody"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("not_found", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkersTerminate_NegativeGrace_UsageErrorExit2()
    {
        var run = await CliRun.RunAsync(Server.BaseAddress, ["workers", "terminate", "w1", "--grace-seconds", "-1"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--grace-seconds must not be negative", run.Error, StringComparison.Ordinal);
    }
}
