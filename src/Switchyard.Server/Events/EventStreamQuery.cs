using System.Globalization;
using Microsoft.AspNetCore.Http;
using Switchyard.Core.Events;
using Switchyard.Core.Model;
using Switchyard.Server.Endpoints;

namespace Switchyard.Server.Events;

/// <summary>
/// The filters and resume point of an event stream, from the query string: <c>type</c> (repeatable or comma-separated;
/// names, seed aliases, <c>task.*</c>), <c>queue</c>, <c>taskId</c>, <c>correlationId</c>, <c>scope</c>, <c>project</c>,
/// and <c>lastEventId</c>; the <c>Last-Event-ID</c> header, which a reconnecting EventSource sends, wins over the parameter.
/// Any other parameter is refused, so a misspelt filter never silently streams everything.
/// </summary>
internal sealed record EventStreamQuery(EventFilter Filter, long? LastEventId)
{
    public const string LastEventIdHeader = "Last-Event-ID";

    private static readonly string[] Known = ["type", "queue", "taskId", "correlationId", "scope", "project", "lastEventId"];

    public static Outcome<EventStreamQuery> Parse(HttpRequest request)
    {
        var q = request.Query;
        if (q.Keys.FirstOrDefault(k => !Known.Contains(k, StringComparer.Ordinal)) is { } unknown)
        {
            return QueryParameters.Unknown(unknown, Known);
        }

        if (Known.Skip(1).FirstOrDefault(k => q[k].Count > 1) is { } repeated)
        {
            return OperationError.Validation(repeated, "give it once");
        }

        var types = q["type"].SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (q.ContainsKey("type") && types.Count == 0)
        {
            return OperationError.Validation("type", "names no event type; give one or more (task.completed, task.*, …), or leave type out for all");
        }

        var filter = EventFilter.Create(types, Single(q, "queue"), Single(q, "taskId"), Single(q, "correlationId"), Single(q, "scope"), Single(q, "project"));
        if (!filter.IsSuccess)
        {
            return filter.Error;
        }

        var header = request.Headers[LastEventIdHeader].ToString();
        var (field, text) = header.Length > 0 ? (LastEventIdHeader, header) : ("lastEventId", q["lastEventId"].ToString());
        if (text.Length == 0)
        {
            return new EventStreamQuery(filter.Value, null);
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var after)
            ? new EventStreamQuery(filter.Value, after)
            : OperationError.Validation(field, $"must be the seq of an event (a whole number), not '{text}'");
    }

    private static string? Single(IQueryCollection q, string name) => q.TryGetValue(name, out var value) ? value.ToString() : null;
}
