using System.CommandLine;
using System.Text.Json;
using Switchyard.Cli;
using Switchyard.Worker.Handlers;

namespace Switchyard.Worker.Tests;

/// <summary><c>switchyard worker --handlers</c> run in-process.</summary>
public sealed class WorkerCommandTests : WorkerTest
{
    [Fact]
    public async Task Handlers_RunsPushRuntime_CompletesTasksUntilStopped()
    {
        var log = new LineLog();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = RunAsync(["worker", "--handlers", "shell.exec,http.request", "--capacity", "2", "--name", "cli-push"], log, stop.Token);
        await log.WaitForAsync("Connected to").WaitAsync(Bound, Ct);

        var task = await Server.SubmitAsync(ShellExecHandler.TypeName, """{"argv":["echo","from cli"]}""");
        var done = await Server.WaitSettledAsync(task.Id);

        // The result wakes the waiter as it commits; the connection gives the credit back a moment later.
        var worker = Assert.Single(await Server.WorkersAsync());
        using var settle = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        settle.CancelAfter(Bound);
        while (worker.Credits + worker.Tasks!.Count < 2 && !settle.IsCancellationRequested)
        {
            worker = Assert.Single(await Server.WorkersAsync());
        }

        await stop.CancelAsync();

        Assert.Equal(0, await run.WaitAsync(Bound, Ct));
        Assert.Equal("completed", done.State);
        Assert.Equal(("cli-push", 2), (worker.Name, worker.Credits + worker.Tasks.Count));
        Assert.Equal(["http.request", "shell.exec"], worker.Types);
        await log.WaitForAsync($@"Task {task.Id} \(shell\.exec\) completed in \d+ ms").WaitAsync(Bound, Ct);
    }

    [Fact]
    public async Task LlmBaseUrlOption_AndKeyFromEnvironment_ReachTheProvider()
    {
        await using var provider = await FakeProvider.StartAsync();
        var log = new LineLog();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = RunAsync(["worker", "--handlers", "llm.chat", "--llm-base-url", new Uri(provider.BaseAddress, "/v1").ToString()], log, stop.Token,
            new Dictionary<string, string> { [LlmOptions.ApiKeyVariable] = "sk-env", [LlmOptions.ModelsVariable] = "small=tiny-1" });
        await log.WaitForAsync("Connected to").WaitAsync(Bound, Ct);

        var done = await Server.WaitSettledAsync((await Server.SubmitAsync(LlmChatHandler.TypeName,
            """{"model":"small","messages":[{"role":"user","content":"yo"}]}""")).Id);
        await stop.CancelAsync();
        await run.WaitAsync(Bound, Ct);

        Assert.Equal("completed", done.State);
        Assert.Equal("echo: yo", JsonDocument.Parse(done.Result!.Value.Raw).RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        var (auth, body) = Assert.Single(provider.ChatRequests);
        Assert.Equal(("Bearer sk-env", "tiny-1"), (auth, body["model"]!.GetValue<string>()));
    }

    [Fact]
    public async Task FsRootOption_FileHandlersReadInsideIt()
    {
        var root = TempDirectory();
        await File.WriteAllTextAsync(Path.Join(root, "hello.txt"), "hi", Ct);
        var log = new LineLog();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = RunAsync(["worker", "--handlers", "fs.read,fs.scan", "--fs-root", root], log, stop.Token);
        await log.WaitForAsync("Connected to").WaitAsync(Bound, Ct);

        var done = await Server.WaitSettledAsync((await Server.SubmitAsync(FsReadHandler.TypeName, """{"path":"hello.txt"}""")).Id);
        await stop.CancelAsync();
        await run.WaitAsync(Bound, Ct);

        Assert.Equal("hi", JsonDocument.Parse(done.Result!.Value.Raw).RootElement.GetProperty("content").GetString());
    }

    [Theory]
    [InlineData(new[] { "worker" }, "either --exec CMD")]
    [InlineData(new[] { "worker", "--exec", "cat", "--handlers", "shell.exec" }, "or --handlers LIST (push mode), not both")]
    [InlineData(new[] { "worker", "--handlers", "shell.exec,fs.magic" }, "fs.magic")]
    [InlineData(new[] { "worker", "--handlers", "shell.exec", "--once" }, "pull mode")]
    [InlineData(new[] { "worker", "--handlers", "fs.read" }, "--fs-root")]
    [InlineData(new[] { "worker", "--handlers", "shell.exec,llm.chat" }, "llm.chat needs the provider's base URL: --llm-base-url URL")]
    [InlineData(new[] { "worker", "--handlers", "llm.chat", "--llm-base-url", "not a url" }, "--llm-base-url")]
    [InlineData(new[] { "worker", "--handlers", "fs.read", "--fs-root", "/no/such/folder" }, "File root '/no/such/folder' is not a folder.")]
    [InlineData(new[] { "worker", "--handlers", "shell.exec", "--type", "other.type" }, "no handler here takes 'other.type'")]
    [InlineData(new[] { "worker", "--handlers", "shell.exec", "--min", "3", "--max", "2" }, "--min")]
    public async Task BadCombination_UsageError(string[] args, string message)
    {
        var log = new LineLog();

        var exit = await RunAsync(args, log, Ct).WaitAsync(Bound, Ct);

        Assert.Equal(2, exit);
        Assert.Contains(message, log.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter '", log.ToString(), StringComparison.Ordinal);
    }

    private Task<int> RunAsync(string[] args, LineLog log, CancellationToken stopping, IReadOnlyDictionary<string, string>? variables = null)
    {
        var environment = new CliEnvironment
        {
            Input = new StringReader(string.Empty),
            IsInputRedirected = false,
            GetVariable = name => variables?.GetValueOrDefault(name),
        };
        return CliApp.InvokeAsync(["--server", Server.BaseAddress.ToString(), .. args], environment,
            new InvocationConfiguration { Output = TextWriter.Null, Error = log, ProcessTerminationTimeout = null }, stopping);
    }
}
