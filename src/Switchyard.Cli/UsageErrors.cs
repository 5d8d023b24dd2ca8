using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace Switchyard.Cli;

/// <summary>
/// How a command line that does not parse is reported, without the whole help text: each error in the words of the rest
/// of the CLI (an option's value is "a whole number", not <c>System.Nullable`1[System.Int32]</c>; an unknown option is
/// named with the command it is not part of, and the one likely meant), then where the usage is.
/// </summary>
internal static partial class UsageErrors
{
    private const string Unrecognized = "Unrecognized command or argument";
    private const string NoCommand = "Required command was not provided.";

    public static async Task WriteAsync(ParseResult parse, TextWriter error)
    {
        var path = CommandPath(parse.CommandResult);
        var lines = Unmatched(parse.CommandResult, path, parse.UnmatchedTokens).ToList();
        foreach (var mistake in parse.Errors)
        {
            var message = mistake.Message.Split('\n').Select(l => l.TrimEnd()).ToArray();
            // Unmatched tokens are said above, once each; a command's missing subcommand is what the unmatched one was meant to be.
            if (message[0].StartsWith(Unrecognized, StringComparison.Ordinal) || (message[0] == NoCommand && lines.Count > 0))
            {
                continue;
            }

            if (NotAmong().Match(message[0]) is { Success: true } among && OptionOf(mistake) is { } option)
            {
                var allowed = message.Skip(1).Select(l => l.Trim().Trim('\'')).Where(l => l.Length > 0).ToArray();
                lines.Add($"switchyard: {option} takes {Either(allowed)}, not '{among.Groups["value"].Value}'");
                continue;
            }

            // The first line is the CLI's; what follows it keeps its indent.
            lines.Add($"switchyard: {Describe(message[0], parse.CommandResult.Command, path)}");
            lines.AddRange(message.Skip(1).Where(l => l.Length > 0));
        }

        foreach (var line in lines)
        {
            await error.WriteLineAsync(line);
        }

        await error.WriteLineAsync($"Run '{path} --help' for its usage.");
    }

    /// <summary>
    /// The tokens nothing took: an unknown option (with the one likely meant) and not its value, an unknown subcommand
    /// (likewise), or an argument too many.
    /// </summary>
    private static IEnumerable<string> Unmatched(CommandResult result, string path, IReadOnlyList<string> tokens)
    {
        var command = result.Command;
        var named = false;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.StartsWith('-') && token.Length > 1)
            {
                var name = token.Split('=')[0];
                yield return $"switchyard: {path} has no option {name}{Meant(name, OptionNames(result))}";
                if (!token.Contains('=') && i + 1 < tokens.Count && !tokens[i + 1].StartsWith('-'))
                {
                    i++; // the unknown option's value
                }
            }
            else if (command.Subcommands.Count == 0)
            {
                yield return $"switchyard: {path} does not take '{token}' here";
            }
            else if (!named)
            {
                // The tokens after an unknown command were meant for it.
                named = true;
                yield return $"switchyard: {path} has no command '{token}'{Meant(token, command.Subcommands.SelectMany(c => c.Aliases.Prepend(c.Name)))}";
            }
        }
    }

    /// <summary>The options a command accepts: its own and those its parents share with it (long names first).</summary>
    private static IEnumerable<string> OptionNames(CommandResult result)
    {
        for (SymbolResult? at = result; at is not null; at = at.Parent)
        {
            if (at is CommandResult { Command: var c })
            {
                foreach (var option in c.Options.Where(o => at == result || o.Recursive))
                {
                    foreach (var name in option.Aliases.Prepend(option.Name))
                    {
                        yield return name;
                    }
                }
            }
        }
    }

    /// <summary>
    /// "; did you mean X?" for the closest of <paramref name="candidates"/> to <paramref name="typed"/> within a few edits, or
    /// one that the typed name starts with (<c>--data-dir</c> for <c>--data</c>); empty when none is close.
    /// </summary>
    private static string Meant(string typed, IEnumerable<string> candidates)
    {
        var best = candidates
            .Where(c => c.Length > 2)
            .Select(c => (Name: c, Distance: typed.StartsWith(c, StringComparison.Ordinal) || (c.StartsWith(typed, StringComparison.Ordinal) && typed.Length > 3)
                ? 0
                : Edits(typed, c)))
            .Where(c => c.Distance <= Math.Max(1, c.Name.Length / 3))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name)
            .FirstOrDefault();
        return best is null ? "" : $"; did you mean {best}?";
    }

    /// <summary>
    /// The edit distance of <paramref name="a"/> and <paramref name="b"/>: single-character insertions, deletions,
    /// substitutions and swaps of neighbours (<c>lsit</c> is one from <c>list</c>).
    /// </summary>
    private static int Edits(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    /// <summary>The parser's message, with a value of the wrong type or a missing one said in words.</summary>
    private static string Describe(string message, Command command, string path)
    {
        if (WrongType().Match(message) is { Success: true } wrong)
        {
            return $"{wrong.Groups["name"].Value} takes {Kind(wrong.Groups["type"].Value)}, not '{wrong.Groups["value"].Value}'";
        }

        if (MissingOptionValue().Match(message) is { Success: true } option)
        {
            return $"{option.Groups["name"].Value} needs a value";
        }

        if (RequiredOption().Match(message) is { Success: true } required)
        {
            return $"{path} needs {required.Groups["name"].Value}";
        }

        if (message == NoCommand)
        {
            return $"{path} needs a command: {Either(command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToArray())}";
        }

        return message.StartsWith("Required argument missing for command:", StringComparison.Ordinal)
            ? $"{path} needs {string.Join(" and ", command.Arguments.Where(a => a.Arity.MinimumNumberOfValues > 0).Select(a => a.Name))}"
            : message;
    }

    /// <summary>The option a value error belongs to, when it is an option's.</summary>
    private static string? OptionOf(ParseError error) => error.SymbolResult switch
    {
        OptionResult o => o.Option.Name,
        ArgumentResult { Parent: OptionResult o } => o.Option.Name,
        _ => null,
    };

    /// <summary>"a, b or c".</summary>
    private static string Either(string[] choices) =>
        choices.Length < 2 ? string.Concat(choices) : $"{string.Join(", ", choices[..^1])} or {choices[^1]}";

    private static string Kind(string type) => type.Replace("System.Nullable`1[", "", StringComparison.Ordinal).TrimEnd(']') switch
    {
        "System.Int32" or "System.Int64" => "a whole number",
        "System.Double" or "System.Decimal" => "a number",
        "System.Boolean" => "true or false",
        "System.DateTimeOffset" => "a time in RFC 3339 form (e.g. 2026-11-25T09:30:00Z)",
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

    [GeneratedRegex(@"^Option '(?<name>.*)' is required\.$")]
    private static partial Regex RequiredOption();

    [GeneratedRegex(@"^Argument '(?<value>.*)' not recognized\. Must be one of:$")]
    private static partial Regex NotAmong();

    [GeneratedRegex(@"^Required argument missing for option: '(?<name>.*)'\.$")]
    private static partial Regex MissingOptionValue();
}
