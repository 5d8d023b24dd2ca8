using Cronos;
using Switchyard.Core.Model;

namespace Switchyard.Core.Scheduling;

/// <summary>A parsed cron expression read in a time zone: when it matches next, and when it matched last.</summary>
public sealed class CronTiming
{
    private readonly CronExpression _expression;
    private readonly TimeZoneInfo _zone;

    private CronTiming(CronExpression expression, TimeZoneInfo zone)
    {
        _expression = expression;
        _zone = zone;
    }

    /// <summary>
    /// Parses <paramref name="cron"/> (5 fields from minutes, 6 from seconds, or a macro such as <c>@daily</c>) in the IANA
    /// zone <paramref name="timeZone"/>; a refusal names the field (<c>cron</c> or <c>timeZone</c>).
    /// </summary>
    public static Outcome<CronTiming> Parse(string? cron, string? timeZone)
    {
        if (string.IsNullOrWhiteSpace(cron))
        {
            return OperationError.Validation("cron", "is required: a 5- or 6-field cron expression such as '0 3 * * *'");
        }

        var fields = cron.Split(' ', '\t').Count(f => f.Length > 0);
        CronExpression? expression = null;
        var parsed = fields switch
        {
            5 => CronExpression.TryParse(cron.Trim(), CronFormat.Standard, out expression),
            6 => CronExpression.TryParse(cron.Trim(), CronFormat.IncludeSeconds, out expression),
            1 when cron.TrimStart().StartsWith('@') => CronExpression.TryParse(cron.Trim(), CronFormat.IncludeSeconds, out expression),
            _ => false,
        };
        if (!parsed || expression is null)
        {
            return OperationError.Validation("cron", fields is 5 or 6 or 1 && Why(cron.Trim(), fields) is { } why
                ? $"'{cron}' is not a cron expression: {why}"
                : $"'{cron}' is not a cron expression: give 5 fields (minute hour day month weekday), 6 (second first) or a macro such as @daily");
        }

        var zone = FindZone(timeZone ?? ScheduleDefaults.TimeZone);
        return zone is null
            ? OperationError.Validation("timeZone", $"'{timeZone}' is not a known time zone: use an IANA id such as Europe/Paris or UTC")
            : new CronTiming(expression, zone);
    }

    /// <summary>What Cronos finds wrong with an expression of the right shape (a value out of range, say), in its words.</summary>
    private static string? Why(string cron, int fields)
    {
        try
        {
            CronExpression.Parse(cron, fields == 5 ? CronFormat.Standard : CronFormat.IncludeSeconds);
            return null;
        }
        catch (CronFormatException ex)
        {
            const string Generic = "The given cron expression has an invalid format.";
            return ex.Message.Replace(Generic, "", StringComparison.Ordinal).Trim().TrimEnd('.') is { Length: > 0 } why ? why : null;
        }
    }

    /// <summary>The first match strictly after <paramref name="instant"/>; null when the expression never matches again.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset instant) => _expression.GetNextOccurrence(instant, _zone, inclusive: false);

    /// <summary>The last match at or before <paramref name="instant"/>; null when there is none.</summary>
    public DateTimeOffset? LastAtOrBefore(DateTimeOffset instant) => _expression.GetPreviousOccurrence(instant, _zone, inclusive: true);

    /// <summary>The last match strictly before <paramref name="instant"/>; null when there is none.</summary>
    public DateTimeOffset? LastBefore(DateTimeOffset instant) => _expression.GetPreviousOccurrence(instant, _zone, inclusive: false);

    private static TimeZoneInfo? FindZone(string id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }
}
