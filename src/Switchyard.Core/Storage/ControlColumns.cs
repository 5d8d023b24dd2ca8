using System.Data.Common;
using System.Globalization;
using Switchyard.Core.Model;
using Switchyard.Core.Queues;
using Switchyard.Core.Types;

namespace Switchyard.Core.Storage;

/// <summary>
/// The columns of the <c>task_types</c> and <c>queue_settings</c> tables, in the order every store selects and writes
/// them: how a row reads into its record and which values a record writes (times as Unix milliseconds, structures as
/// <see cref="ControlJson"/>), whatever the database.
/// </summary>
public static class ControlColumns
{
    public const string Types = "type, description, payload_schema, defaults, concurrency, estimated_duration_ms, source, updated_at";

    public const string Queues =
        "queue, paused, max_length, max_running, rate_tasks, rate_interval_ms, group_rates, scope_weights, group_weights, updated_at";

    public static TaskTypeDefinition ReadType(DbDataReader r) => new()
    {
        Type = r.GetString(0),
        Description = r.IsDBNull(1) ? null : r.GetString(1),
        PayloadSchema = r.IsDBNull(2) ? null : new JsonText(r.GetString(2)),
        Defaults = ControlJson.ReadDefaults(r.IsDBNull(3) ? null : r.GetString(3)),
        Concurrency = r.IsDBNull(4) ? null : r.GetInt32(4),
        EstimatedDurationMs = r.IsDBNull(5) ? null : r.GetInt64(5),
        Source = TaskTypeSources.Parse(r.GetString(6)),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7)),
    };

    /// <summary>A queue row; <c>paused</c> may be a boolean or an integer, as the database keeps it.</summary>
    public static QueueSettings ReadQueue(DbDataReader r) => new()
    {
        Queue = r.GetString(0),
        Paused = Convert.ToBoolean(r.GetValue(1), CultureInfo.InvariantCulture),
        MaxLength = r.IsDBNull(2) ? null : r.GetInt32(2),
        MaxRunning = r.IsDBNull(3) ? null : r.GetInt32(3),
        Rate = r.IsDBNull(4) ? null : new RateLimit(r.GetInt32(4), r.GetInt64(5)),
        GroupRates = ControlJson.ReadRates(r.IsDBNull(6) ? null : r.GetString(6)),
        ScopeWeights = ControlJson.ReadWeights(r.IsDBNull(7) ? null : r.GetString(7)),
        GroupWeights = ControlJson.ReadWeights(r.IsDBNull(8) ? null : r.GetString(8)),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(9)),
    };

    /// <summary>The values of <paramref name="d"/> in the order of <see cref="Types"/>.</summary>
    public static object?[] ValuesOf(TaskTypeDefinition d) =>
    [
        d.Type, d.Description, d.PayloadSchema?.Raw, ControlJson.Write(d.Defaults), d.Concurrency, d.EstimatedDurationMs, d.Source.ToName(),
        d.UpdatedAt.ToUnixTimeMilliseconds(),
    ];

    /// <summary>The values of <paramref name="s"/> in the order of <see cref="Queues"/>.</summary>
    public static object?[] ValuesOf(QueueSettings s) =>
    [
        s.Queue, s.Paused, s.MaxLength, s.MaxRunning, s.Rate?.Tasks, s.Rate?.IntervalMs, ControlJson.Write(s.GroupRates),
        ControlJson.Write(s.ScopeWeights), ControlJson.Write(s.GroupWeights), (s.UpdatedAt ?? DateTimeOffset.UnixEpoch).ToUnixTimeMilliseconds(),
    ];

    /// <summary>Placeholders <c>{prefix}p0, {prefix}p1, …</c> for the columns of <paramref name="columns"/>, comma separated.</summary>
    public static string Placeholders(string columns, char prefix) =>
        string.Join(", ", Enumerable.Range(0, columns.Split(',').Length).Select(i => $"{prefix}p{i}"));
}
