using System.Globalization;
using System.Text.Json.Nodes;

namespace Switchyard.Cli.Commands;

/// <summary>
/// Turns <c>queues set</c> options into a JSON merge patch: <c>none</c> clears a value (<c>--rate none</c>,
/// <c>--scope-weight acme=none</c>); rates read <c>TASKS/INTERVAL</c> with the interval in ms, s, m or h (<c>10/1s</c>,
/// or <c>10/s</c> for one of the unit).
/// </summary>
internal static class QueueSettingArgs
{
    public const string None = "none";

    public static JsonNode? Int(string option, string value) =>
        value == None ? null
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n)
        : throw new CliUsageException($"{option} takes a whole number or '{None}', not '{value}'");

    public static JsonNode? Rate(string option, string value)
    {
        if (value == None)
        {
            return null;
        }

        var cut = value.IndexOf('/', StringComparison.Ordinal);
        if (cut <= 0 || !int.TryParse(value.AsSpan(0, cut), NumberStyles.None, CultureInfo.InvariantCulture, out var tasks)
            || Milliseconds(value[(cut + 1)..]) is not { } ms)
        {
            throw new CliUsageException($"{option} takes TASKS/INTERVAL such as 10/s, 60/1m or 5/500ms, or '{None}', not '{value}'");
        }

        return new JsonObject { ["tasks"] = tasks, ["intervalMs"] = ms };
    }

    /// <summary>Repeated <c>KEY=VALUE</c> options as one object of values read by <paramref name="read"/>.</summary>
    public static JsonObject Entries(string option, IEnumerable<string> values, Func<string, string, JsonNode?> read)
    {
        var entries = new JsonObject();
        foreach (var entry in values)
        {
            var cut = entry.IndexOf('=', StringComparison.Ordinal);
            if (cut <= 0)
            {
                throw new CliUsageException($"{option} takes KEY=VALUE, not '{entry}'");
            }

            entries[entry[..cut]] = read(option, entry[(cut + 1)..]);
        }

        return entries;
    }

    private static long? Milliseconds(string interval)
    {
        var (digits, factor) = interval switch
        {
            _ when interval.EndsWith("ms", StringComparison.Ordinal) => (interval[..^2], 1L),
            _ when interval.EndsWith('s') => (interval[..^1], 1_000L),
            _ when interval.EndsWith('m') => (interval[..^1], 60_000L),
            _ when interval.EndsWith('h') => (interval[..^1], 3_600_000L),
            _ => (interval, 1L),
        };
        if (digits.Length == 0 && factor > 1)
        {
            return factor; // "10/s": one of the unit
        }

        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n * factor : null;
    }
}
