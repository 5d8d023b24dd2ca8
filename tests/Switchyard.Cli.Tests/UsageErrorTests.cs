namespace Switchyard.Tests;

/// <summary>A command line that does not parse: the parser's findings in the CLI's words, without the whole help text.</summary>
public sealed class UsageErrorTests
{
    [Theory]
    [InlineData("--priority", "abc", "switchyard: --priority takes a whole number, not 'abc'")]
    [InlineData("--timeout-ms", "soon", "switchyard: --timeout-ms takes a whole number, not 'soon'")]
    public async Task ValueOfTheWrongType_SaysWhatTheOptionTakes(string option, string value, string expected)
    {
        var run = await CliRun.RunAsync(null, ["submit", "x.job", "{}", option, value]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal([expected, "Run 'switchyard submit --help' for its usage."], Lines(run.Error));
        Assert.DoesNotContain("System.", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task MisspeltCommand_SuggestsTheOneMeant_WithoutTheHelpText()
    {
        var run = await CliRun.RunAsync(null, ["schedules", "lsit"]);

        Assert.Equal(2, run.ExitCode);
        var lines = Lines(run.Error);
        Assert.Contains("'lsit' was not matched. Did you mean one of the following?", lines);
        Assert.Contains(lines, line => line is "list" or "ls"); // the command or its alias
        Assert.Contains("switchyard: Unrecognized command or argument 'lsit'.", lines);
        Assert.Equal("Run 'switchyard schedules --help' for its usage.", lines[^1]);
        Assert.DoesNotContain("Description:", run.Error, StringComparison.Ordinal);
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

    [Fact]
    public async Task ValueNotAmongTheChoices_ListsThemUnderTheError()
    {
        var run = await CliRun.RunAsync(null, ["serve", "--store", "mysql"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(["switchyard: Argument 'mysql' not recognized. Must be one of:", "\t'sqlite'", "\t'postgres'", "Run 'switchyard serve --help' for its usage."],
            run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()));
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
