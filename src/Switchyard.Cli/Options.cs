using System.CommandLine;
using System.Globalization;

namespace Switchyard.Cli;

/// <summary>Option shapes several commands share.</summary>
internal static class Options
{
    /// <summary>A repeatable <c>--label key=value</c>.</summary>
    public static Option<string[]> Labels(string description) => new("--label", "-l") { Description = description };

    /// <summary><c>--wait [SECONDS]</c>; read it with <see cref="GetWait"/>.</summary>
    public static Option<string?> Wait(string description) => new("--wait", "-w")
    {
        Description = description,
        Arity = ArgumentArity.ZeroOrOne,
        HelpName = "SECONDS",
    };

    /// <summary>
    /// Reads <c>--wait [SECONDS]</c>: absent is no wait (null), no number is until settled (<see cref="Timeout.InfiniteTimeSpan"/>).
    /// A value that is not a number was meant for the next argument (<c>--wait '{"a":1}'</c>) and comes back as <paramref name="displaced"/>.
    /// </summary>
    public static TimeSpan? GetWait(this ParseResult parse, Option<string?> option, out string? displaced)
    {
        displaced = null;
        if (parse.GetResult(option) is null)
        {
            return null;
        }

        var text = parse.GetValue(option);
        if (text is null)
        {
            return Timeout.InfiniteTimeSpan;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            displaced = text;
            return Timeout.InfiniteTimeSpan;
        }

        return seconds is >= 0 and <= 86_400
            ? TimeSpan.FromSeconds(seconds)
            : throw new CliUsageException($"--wait takes seconds from 0 to 86400, not '{text}'");
    }

    public static Dictionary<string, string>? ParseLabels(string[]? labels)
    {
        if (labels is not { Length: > 0 })
        {
            return null;
        }

        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            var cut = label.IndexOfAny(['=', ':']);
            if (cut <= 0)
            {
                throw new CliUsageException($"label '{label}' must look like key=value");
            }

            parsed[label[..cut]] = label[(cut + 1)..];
        }

        return parsed;
    }
}
