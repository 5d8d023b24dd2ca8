namespace Switchyard.Tests;

/// <summary>A command line that does not parse: the parser's findings in the CLI's words, without the whole help text.</summary>
public sealed class UsageErrorTests
{
    [Theory]
    [InlineData("--priority", "abc", "switchyard: --priority takes a whole number, not 'abc'")]
    [InlineData("--timeout-ms", "soon", "switchyard: --timeout-ms takes a whole number, not 'soon'")]
    [InlineData("--run-at", "tomorrow", "switchyard: --run-at takes a time in RFC 3339 form (e.g. 2026-11-25T09:30:00Z), not 'tomorrow'")]
    public async Task ValueOfTheWrongType_SaysWhatTheOptionTakes(string option, string value, string expected)
    {
        var run = await CliRun.RunAsync(null, ["submit", "x.job", "{}", option, value]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal([expected, "Run 'switchyard submit --help' for its usage."], Lines(run.Error));
        Assert.DoesNotContain("System.", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Out);
    }

    [Theory]
    [InlineData("schedules lsit", "switchyard schedules has no command 'lsit'; did you mean list?")]
    [InlineData("lsit", "switchyard has no command 'lsit'; did you mean list?")]
    [InlineData("workers quite w1", "switchyard workers has no command 'quite'; did you mean quiet?")]
    [InlineData("serve --data-dir d1", "switchyard serve has no option --data-dir; did you mean --data?")]
    [InlineData("serve --prot 7401", "switchyard serve has no option --prot; did you mean --port?")]
    [InlineData("submit x {} --queu q", "switchyard submit has no option --queu; did you mean --queue?")]
    [InlineData("worker --handler shell.exec", "switchyard worker has no option --handler; did you mean --handlers?")]
    [InlineData("list --jsn", "switchyard list has no option --jsn; did you mean --json?")] // an option of the root, shared
    [InlineData("serve --frobnicate=1", "switchyard serve has no option --frobnicate")]
    [InlineData("get a b", "switchyard get does not take 'b' here")]
    [InlineData("get", "switchyard get needs ID")]
    [InlineData("types", "switchyard types needs a command: list, get, put or rm")]
    [InlineData("list --limit", "--limit needs a value")]
    public async Task UnknownOrMissingWord_NamedWithTheOneMeant_WithoutTheHelpText(string line, string expected)
    {
        var run = await CliRun.RunAsync(null, line.Split(' '));

        Assert.Equal(2, run.ExitCode);
        var command = string.Join(' ', line.Split(' ').TakeWhile(w => w is "schedules" or "workers" or "types" or "serve" or "submit" or "worker" or "list" or "get"));
        Assert.Equal([$"switchyard: {expected}", $"Run '{("switchyard " + command).Trim()} --help' for its usage."], Lines(run.Error));
        Assert.Empty(run.Out);
    }

    [Theory]
    [InlineData("schedules", "get")]
    [InlineData("schedules", "trigger")]
    [InlineData("get")]
    [InlineData("cancel")]
    [InlineData("history")]
    public async Task EmptyId_RefusedInOneLine(params string[] words)
    {
        var run = await CliRun.RunAsync(new Uri("http://127.0.0.1:1"), [.. words, ""]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("switchyard: id: The value cannot be an empty string.", run.Error.Trim());
    }

    [Theory]
    [InlineData("--capacity", "0", "switchyard: --capacity takes 1 to 10000 tasks at once, not 0")]
    [InlineData("--lease-ms", "-5", "switchyard: --lease-ms takes a positive number of milliseconds, not -5")]
    public async Task WorkerValueOutOfRange_NamesTheOptionAtFault(string option, string value, string expected)
    {
        var run = await CliRun.RunAsync(new Uri("http://127.0.0.1:1"), ["worker", "--handlers", "shell.exec", option, value]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(expected, run.Error.Trim());
    }

    [Theory]
    [InlineData("serve --store mysql", "--store takes sqlite or postgres, not 'mysql'")]
    [InlineData("fail t1 --token 1 -m x --kind bogus", "--kind takes retryable, fatal or user_actionable, not 'bogus'")]
    [InlineData("heartbeat t1", "switchyard heartbeat needs --token")]
    public async Task ValueNotAmongTheChoicesOrMissing_SaysWhatTheOptionTakes(string line, string expected)
    {
        var run = await CliRun.RunAsync(null, line.Split(' '));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal([$"switchyard: {expected}", $"Run 'switchyard {line.Split(' ')[0]} --help' for its usage."], Lines(run.Error));
    }

    [Fact]
    public async Task NoArgumentsAtAll_PrintTheCommands()
    {
        var run = await CliRun.RunAsync(null, []);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Commands:", run.Out, StringComparison.Ordinal);
        Assert.Contains("serve", run.Out, StringComparison.Ordinal);
        Assert.Empty(run.Error);
    }

    [Fact]
    public async Task Help_StillPrintsTheWholeUsage()
    {
        var run = await CliRun.RunAsync(null, ["submit", "--help"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Description:", run.Out, StringComparison.Ordinal);
        Assert.Contains("--priority", run.Out, StringComparison.Ordinal);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
