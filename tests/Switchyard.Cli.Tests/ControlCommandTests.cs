using System.Text.Json;
using Switchyard.Client.Contracts;

namespace Switchyard.Tests;

public sealed class ControlCommandTests : ServerTest
{
    private static string TempFile(string extension, string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"switchyard-cli-{Guid.NewGuid():N}{extension}");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task TypesPut_YamlFile_StoredThenListedGotAndRemoved()
    {
        var file = TempFile(".yaml", """
            types:
              - type: fs.scan
                description: Scans a folder
                payloadSchema: {type: object, required: [path]}
                defaults: {queue: io}
                concurrency: 2
              - type: http.request
            """);
        try
        {
            var put = await CliRun.RunAsync(Server.BaseAddress, ["types", "put", file]);
            Assert.Equal((0, "fs.scan stored\nhttp.request stored\n"), (put.ExitCode, put.Out.ReplaceLineEndings("\n")));

            var list = await CliRun.RunAsync(Server.BaseAddress, ["types", "ls"]);
            var row = list.Out.Split('\n').Single(l => l.StartsWith("fs.scan", StringComparison.Ordinal));
            Assert.Equal(["fs.scan", "api", "2", "io", "yes", "Scans", "a", "folder"], row.Split(' ', StringSplitOptions.RemoveEmptyEntries));

            var get = await CliRun.RunAsync(Server.BaseAddress, ["types", "get", "fs.scan"]);
            Assert.Equal("io", JsonSerializer.Deserialize(get.Out, ContractsJsonContext.Default.TaskTypeDto)!.Defaults!.Queue);

            var rm = await CliRun.RunAsync(Server.BaseAddress, ["types", "rm", "fs.scan"]);
            Assert.Equal(0, rm.ExitCode);
            Assert.Equal(["http.request"], (await Client.ListTaskTypesAsync(Ct)).Select(t => t.Type));

            var delete = await CliRun.RunAsync(Server.BaseAddress, ["types", "delete", "http.request"]);
            Assert.Equal((0, "http.request removed\n"), (delete.ExitCode, delete.Out.ReplaceLineEndings("\n")));
            Assert.Empty(await Client.ListTaskTypesAsync(Ct));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task TypesPut_OneOfSeveralRefused_SaysWhichAndWhatStands()
    {
        var run = await CliRun.RunAsync(Server.BaseAddress, ["types", "put", "-"],
            stdin: """{"types": [{"type": "one.t"}, {"type": "two.t", "concurrency": 0}, {"type": "three.t"}]}""");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("one.t stored\n", run.Out.ReplaceLineEndings("\n"));
        Assert.StartsWith("switchyard: types[1] (two.t): validation_failed: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("switchyard: stored before it: one.t; the 1 after it were not sent", run.Error, StringComparison.Ordinal);
        Assert.Equal(["one.t"], (await Client.ListTaskTypesAsync(Ct)).Select(t => t.Type));
    }

    [Fact]
    public async Task TypesPut_OneJsonDefinitionFromStdin_Stored()
    {
        var run = await CliRun.RunAsync(Server.BaseAddress, ["types", "put", "-", "--json"], stdin: """{"type": "llm.chat", "concurrency": 4}""");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(4, JsonSerializer.Deserialize(run.Out, ContractsJsonContext.Default.TaskTypeDto)!.Concurrency);
    }

    [Theory]
    [InlineData(".json", """{"type": "t", "concurrency": 0}""", 1, "concurrency")]
    [InlineData(".json", """{"type": "t", "oops": 1}""", 2, "oops")]
    [InlineData(".yaml", "types: [unclosed\n", 2, "line")]
    [InlineData(".yaml", "description: no type\n", 2, "type")]
    public async Task TypesPut_BadFile_SaysWhatIsWrong(string extension, string text, int exit, string mentioned)
    {
        var file = TempFile(extension, text);
        try
        {
            var run = await CliRun.RunAsync(Server.BaseAddress, ["types", "put", file]);

            Assert.Equal(exit, run.ExitCode);
            Assert.Contains(mentioned, run.Error, StringComparison.Ordinal);
            Assert.Empty(await Client.ListTaskTypesAsync(Ct));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task TypesRm_Unknown_NotFoundExitOne()
    {
        var run = await CliRun.RunAsync(Server.BaseAddress, ["types", "rm", "nope"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("switchyard: not_found: Task type 'nope' is not registered.", run.Error.Trim());
    }

    [Fact]
    public async Task QueuesPauseResume_ClaimsFollow()
    {
        await Client.SubmitAsync(new SubmitTaskRequest { Type = "echo" }, cancellationToken: Ct);

        var paused = await CliRun.RunAsync(Server.BaseAddress, ["queues", "pause", "default", "--json"]);
        Assert.True(JsonSerializer.Deserialize(paused.Out, ContractsJsonContext.Default.QueueDto)!.Settings!.Paused);
        Assert.Empty(await Client.ClaimAsync(new ClaimTasksRequest { WorkerId = "w" }, Ct));

        var resumed = await CliRun.RunAsync(Server.BaseAddress, ["queues", "default", "resume"]); // the name before the verb works too
        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains(" no ", resumed.Out, StringComparison.Ordinal);
        Assert.Single(await Client.ClaimAsync(new ClaimTasksRequest { WorkerId = "w" }, Ct));
    }

    [Fact]
    public async Task QueuesSet_Options_BecomeSettingsAndNoneClears()
    {
        var set = await CliRun.RunAsync(Server.BaseAddress, ["queues", "set", "llm", "--max-running", "4", "--rate", "10/1s",
            "--group-rate", "gpt-4o=60/1m", "--scope-weight", "acme=3", "--group-weight", "gpt-4o=2", "--max-length", "500"]);

        Assert.Equal(0, set.ExitCode);
        Assert.Contains("running<=4 rate=10/1000ms rate[gpt-4o]=60/60000ms weight[acme]=3 groupWeight[gpt-4o]=2", set.Out, StringComparison.Ordinal);
        var settings = (await Client.GetQueueAsync("llm", Ct)).Settings!;
        Assert.Equal((4, 500, new RateLimitDto(10, 1_000)), (settings.MaxRunning, settings.MaxLength, settings.Rate));

        var cleared = await CliRun.RunAsync(Server.BaseAddress, ["queues", "set", "llm", "--rate", "none", "--scope-weight", "acme=none"]);
        Assert.Equal(0, cleared.ExitCode);
        settings = (await Client.GetQueueAsync("llm", Ct)).Settings!;
        Assert.Equal((4, (RateLimitDto?)null, (IReadOnlyDictionary<string, int>?)null), (settings.MaxRunning, settings.Rate, settings.ScopeWeights));
    }

    [Theory]
    [InlineData("10/s", 10, 1_000)]
    [InlineData("60/m", 60, 60_000)]
    [InlineData("5/500ms", 5, 500)]
    [InlineData("100/2h", 100, 7_200_000)]
    public async Task QueuesSet_RateWithOrWithoutACount_ReadAsTasksPerInterval(string rate, int tasks, long intervalMs)
    {
        var set = await CliRun.RunAsync(Server.BaseAddress, ["queues", "set", "llm", "--rate", rate]);

        Assert.Equal(0, set.ExitCode);
        Assert.Equal(new RateLimitDto(tasks, intervalMs), (await Client.GetQueueAsync("llm", Ct)).Settings!.Rate);
    }

    [Theory]
    [InlineData(new[] { "queues", "set", "q" }, 2, "say what to set")]
    [InlineData(new[] { "queues", "set", "q", "--rate", "10/ms" }, 2, "TASKS/INTERVAL")]
    [InlineData(new[] { "queues", "set", "q", "--rate", "10/0s" }, 2, "TASKS/INTERVAL")]
    [InlineData(new[] { "queues", "set", "q", "--rate", "ten" }, 2, "TASKS/INTERVAL")]
    [InlineData(new[] { "queues", "set", "q", "--scope-weight", "acme" }, 2, "KEY=VALUE")]
    [InlineData(new[] { "queues", "set", "q", "--max-running", "0" }, 1, "validation_failed: maxRunning")]
    [InlineData(new[] { "queues", "set", "--max-running", "2" }, 2, "name the queue: 'queues set NAME'")]
    [InlineData(new[] { "queues", "a", "set", "b", "--max-running", "2" }, 2, "two queues given ('a' and 'b')")]
    [InlineData(new[] { "queues", "pause" }, 2, "name the queue: 'queues pause NAME'")]
    public async Task QueuesSet_BadInput_SaysWhatIsWrong(string[] args, int exit, string mentioned)
    {
        var run = await CliRun.RunAsync(Server.BaseAddress, args);

        Assert.Equal(exit, run.ExitCode);
        Assert.Contains(mentioned, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Queues_ListStillShowsCounts()
    {
        await Client.SubmitAsync(new SubmitTaskRequest { Type = "echo", Queue = "q1" }, cancellationToken: Ct);

        var run = await CliRun.RunAsync(Server.BaseAddress, ["queues", "q1"]);

        Assert.Equal(["q1", "0", "0", "1"], run.Out.Split('\n')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(4));
    }
}
