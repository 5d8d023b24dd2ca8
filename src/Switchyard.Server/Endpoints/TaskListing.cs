using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Switchyard.Client.Contracts;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Server.Endpoints;

/// <summary>
/// <c>GET /api/v1/tasks</c>: filters <c>state</c> (comma list), <c>queue</c>, <c>type</c>, <c>group</c>, <c>scope</c>,
/// <c>correlationId</c>, <c>parentId</c>, <c>worker</c> (running under its lease), <c>label</c> (repeatable <c>key:value</c>), paging <c>limit</c> and <c>cursor</c>.
/// Any other parameter is refused, so a misspelt filter never silently returns everything.
/// <c>GET /api/v1/task-count</c> counts what the same filters match, no further than <c>limit</c> when given.
/// </summary>
public static class TaskListing
{
    private static readonly HashSet<string> Known =
        new(["state", "queue", "type", "group", "scope", "correlationId", "parentId", "worker", "label", "limit", "cursor"], StringComparer.Ordinal);

    private static readonly HashSet<string> KnownToCount =
        new(["state", "queue", "type", "group", "scope", "correlationId", "parentId", "worker", "label", "limit"], StringComparer.Ordinal);

    /// <summary>Filters whose values are names (ids, queues, types): one that no name could be is refused rather than matching nothing.</summary>
    private static readonly string[] NameFilters = ["queue", "type", "group", "scope", "parentId", "worker"];

    public static async Task<Results<Ok<TaskListResponse>, JsonHttpResult<ProblemDto>>> List(
        HttpRequest request, TaskBroker broker, CancellationToken cancellationToken)
    {
        var query = Parse(request.Query);
        if (!query.IsSuccess)
        {
            return Problems.Result(query.Error);
        }

        var page = await broker.ListAsync(query.Value, cancellationToken);
        return TypedResults.Ok(new TaskListResponse(
            page.Tasks.Select(t => t.ToDto()).ToArray(),
            page.NextCursor?.ToString(CultureInfo.InvariantCulture)));
    }

    public static async Task<Results<Ok<TaskCountResponse>, JsonHttpResult<ProblemDto>>> Count(
        HttpRequest request, TaskBroker broker, CancellationToken cancellationToken)
    {
        var query = Filters(request.Query, KnownToCount);
        if (!query.IsSuccess)
        {
            return Problems.Result(query.Error);
        }

        long? upTo = null;
        if (request.Query.TryGetValue("limit", out var limitText))
        {
            if (!long.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var most) || most < 1)
            {
                return Problems.Result(OperationError.Validation("limit", "must be a whole number of at least 1"));
            }

            upTo = most;
        }

        return TypedResults.Ok(new TaskCountResponse(await broker.CountAsync(query.Value, upTo, cancellationToken)));
    }

    public static Outcome<TaskQuery> Parse(IQueryCollection q)
    {
        var filters = Filters(q, Known);
        if (!filters.IsSuccess)
        {
            return filters;
        }

        var limit = TaskQuery.DefaultLimit;
        if (q.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > TaskQuery.MaxLimit))
        {
            return OperationError.Validation("limit", $"must be a whole number from 1 to {TaskQuery.MaxLimit}");
        }

        long? cursor = null;
        if (q.TryGetValue("cursor", out var cursorText))
        {
            if (!long.TryParse(cursorText, NumberStyles.None, CultureInfo.InvariantCulture, out var c))
            {
                return OperationError.Validation("cursor", "is not a cursor this server issued");
            }

            cursor = c;
        }

        return filters.Value with { Limit = limit, Cursor = cursor };
    }

    /// <summary>The filters of a list or count; a parameter not in <paramref name="known"/> is refused.</summary>
    private static Outcome<TaskQuery> Filters(IQueryCollection q, HashSet<string> known)
    {
        foreach (var key in q.Keys)
        {
            if (!known.Contains(key))
            {
                return QueryParameters.Unknown(key, known);
            }
        }

        // A filter given empty (a script's unset variable) is refused, never taken as "all".
        foreach (var name in NameFilters.Append("state").Append("correlationId"))
        {
            if (q.TryGetValue(name, out var given) && given.All(v => string.IsNullOrWhiteSpace(v?.Replace(",", "", StringComparison.Ordinal))))
            {
                return OperationError.Validation(name, "is empty: give a value, or leave the parameter out for all");
            }
        }

        var states = new List<TaskState>();
        foreach (var name in q["state"].SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!TaskStates.TryParse(name, out var state))
            {
                return OperationError.Validation("state", $"'{name}' is not a state; use {string.Join(", ", TaskStates.AllNames)}");
            }

            states.Add(state);
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in q["label"])
        {
            var cut = label is null ? -1 : label.Contains('=', StringComparison.Ordinal) ? label.IndexOf('=', StringComparison.Ordinal) : label.IndexOf(':', StringComparison.Ordinal);
            if (cut <= 0 || !Names.IsValid(label![..cut]))
            {
                return OperationError.Validation("label", $"'{label}' must look like key=value (or key:value) with a valid key");
            }

            labels[label[..cut]] = label[(cut + 1)..];
        }

        if (labels.Values.Any(FreeText.HasNul))
        {
            return OperationError.Validation("label", $"a label value {FreeText.NulRule}");
        }

        foreach (var name in NameFilters)
        {
            if (Single(q, name) is { } value && !Names.IsValid(value))
            {
                return OperationError.Validation(name, $"'{value}' matches nothing: a name {Names.Rule}");
            }
        }

        if (FreeText.HasNul(Single(q, "correlationId")))
        {
            return OperationError.Validation("correlationId", FreeText.NulRule);
        }

        return new TaskQuery
        {
            States = states,
            Queue = Single(q, "queue"),
            Type = Single(q, "type"),
            Group = Single(q, "group"),
            Scope = Single(q, "scope"),
            CorrelationId = Single(q, "correlationId"),
            ParentId = Single(q, "parentId"),
            Worker = Single(q, "worker"),
            Labels = labels,
        };
    }

    private static string? Single(IQueryCollection q, string key) =>
        q.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value) ? value.ToString() : null;
}
