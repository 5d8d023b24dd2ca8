using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace Switchyard.Cli;

/// <summary>
/// How a command line that does not parse is reported: the parser's own report (its typo suggestions included) without
/// the whole help text, each error in the words of the rest of the CLI (an option's value is "a whole number", not
/// <c>System.Nullable`1[System.Int32]</c>), then where the usage is.
/// </summary>
internal static partial class UsageErrors
{
    public static async Task WriteAsync(ParseResult parse, ParseErrorAction action, TextWriter error, CancellationToken cancellationToken)
    {
        action.ShowHelp = false;
        using var report = new StringWriter();
        await parse.InvokeAsync(new InvocationConfiguration { Output = report, Error = report }, cancellationToken);
        // An error's first line is marked as the CLI's; what follows it (a list of allowed values) keeps its indent.
        var errors = parse.Errors.Select(e => e.Message.Split('\n')[0].TrimEnd()).ToHashSet(StringComparer.Ordinal);
        foreach (var line in report.ToString().Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0))
        {
            await error.WriteLineAsync(errors.Contains(line.Trim()) ? $"switchyard: {Describe(line.Trim())}" : line);
        }

        await error.WriteLineAsync($"Run '{CommandPath(parse.CommandResult)} --help' for its usage.");
    }

    /// <summary>The parser's message, with a value of the wrong type said in words.</summary>
    private static string Describe(string message) =>
        WrongType().Match(message) is { Success: true } wrong
            ? $"{wrong.Groups["name"].Value} takes {Kind(wrong.Groups["type"].Value)}, not '{wrong.Groups["value"].Value}'"
            : message;

    private static string Kind(string type) => type.Replace("System.Nullable`1[", "", StringComparison.Ordinal).TrimEnd(']') switch
    {
        "System.Int32" or "System.Int64" => "a whole number",
        "System.Double" or "System.Decimal" => "a number",
        "System.Boolean" => "true or false",
        var other => $"a value of type {other}",
    };

    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? result = command; result is not null; result = result.Parent)
        {
            if (result is CommandResult { Command: var c })
            {
                names.Add(c is RootCommand ? "switchyard" : c.Name);
            }
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (?:option|command|argument) '(?<name>.*)' as expected type '(?<type>.*)'\.$")]
    private static partial Regex WrongType();
}
