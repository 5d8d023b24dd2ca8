using Switchyard.Core.Queues;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Postgres;

/// <summary>
/// The statements of a claim. A claim locks each named queue (shared, or exclusive when the queue has running or rate
/// limits), reads its settings and the heads of its (scope, group, type) buckets (<c>SKIP LOCKED</c>), then locks the
/// task types of those heads (shared, or exclusive when a type has a concurrency limit) and reads what the limits need:
/// running counts and token buckets, taken after the locks so that they include every claim committed before.
/// </summary>
internal static class PgClaimSql
{
    /// <summary>
    /// After <see cref="GenericPlans"/>' row: locks <c>@queues</c> (in ordinal order) and returns (queue, locked exclusively);
    /// then their settings; then the heads of every bucket of the unpaused ones a worker of <c>@groups</c> and <c>@types</c>
    /// may take, whole rows (<see cref="PgTaskRows.Columns"/>, so the claim need not read its tasks again): up to <c>@limit</c>
    /// each, <c>@budget</c> in all (but at least one each).
    /// </summary>
    public static readonly string Open =
        GenericPlans +
        $"SELECT q, {Lock("EXISTS (SELECT 1 FROM queue_settings s WHERE s.queue = q AND " + SerialQueue + ")", PgLocks.QueueClaims, "q")} " +
        "FROM unnest(@queues::text[]) AS q; " +
        $"SELECT {ControlColumns.Queues} FROM queue_settings WHERE queue = ANY(@queues); " +
        $$"""
        WITH RECURSIVE buckets AS (
            SELECT f.* FROM unnest(@queues::text[]) AS q(name) CROSS JOIN LATERAL (
                SELECT queue, scope, grp, type FROM tasks WHERE state = 'queued' AND queue = q.name ORDER BY scope, grp, type LIMIT 1) f
            WHERE NOT EXISTS (SELECT 1 FROM queue_settings s WHERE s.queue = q.name AND s.paused)
            UNION ALL
            SELECT n.* FROM buckets b CROSS JOIN LATERAL (
                SELECT queue, scope, grp, type FROM tasks t WHERE t.state = 'queued' AND t.queue = b.queue
                AND (t.scope, t.grp, t.type) > (b.scope, b.grp, b.type) ORDER BY scope, grp, type LIMIT 1) n
        ), eligible AS (
            SELECT * FROM buckets b WHERE (b.grp = 'default' OR b.grp = ANY(@groups)) AND (cardinality(@types) = 0 OR b.type = ANY(@types))
        )
        SELECT c.* FROM eligible b CROSS JOIN LATERAL (
            SELECT {{PgTaskRows.Columns}} FROM tasks t
            WHERE t.state = 'queued' AND t.queue = b.queue AND t.scope = b.scope AND t.grp = b.grp AND t.type = b.type
            AND (t.deadline_at IS NULL OR t.deadline_at > @now)
            ORDER BY t.priority DESC, t.seq
            LIMIT least(@limit, greatest(1, ceil(@budget::numeric / (SELECT count(*) FROM eligible)))::int) FOR UPDATE SKIP LOCKED) c
        """;

    /// <summary>
    /// Makes the rest of the claim's transaction use generic plans (it yields one row, to be skipped). The claim's statements are
    /// prepared, and PostgreSQL would otherwise plan the heads' recursive query anew at every bind (its generic plan never
    /// looks cheaper than the custom ones to its estimate): measured at about a third of a claim's time in the database.
    /// </summary>
    private const string GenericPlans = "SELECT set_config('plan_cache_mode', 'force_generic_plan', true); ";

    /// <summary>
    /// Heads a claim reads per task it may hand out, shared out among the buckets: every bucket shows at least its
    /// head, and none more than the claim's size, so a claim over many scopes reads (and locks) a few times its size,
    /// not its size per scope. A claim may then come back short when its pick drains one bucket's heads; the next goes on.
    /// </summary>
    public const int HeadsPerTask = 4;

    /// <summary>
    /// Locks <c>@types</c> (in ordinal order) and returns (type, locked exclusively); then the concurrency limit and running
    /// count of the limited ones; the running count of each of <c>@counted</c> (queues); the token buckets of <c>@rated</c> (queues);
    /// <c>@tokens</c> new fencing tokens (as many as the claim may hand out; those it does not are skipped numbers, as after a rollback).
    /// </summary>
    public static readonly string Limits =
        $"SELECT t, {Lock("EXISTS (SELECT 1 FROM task_types d WHERE d.type = t AND d.concurrency IS NOT NULL)", PgLocks.TypeClaims, "t")} " +
        "FROM unnest(@types::text[]) AS t; " +
        "SELECT d.type, d.concurrency, (SELECT count(*) FROM tasks r WHERE r.state = 'running' AND r.type = d.type) " +
        "FROM task_types d WHERE d.type = ANY(@types) AND d.concurrency IS NOT NULL; " +
        "SELECT q, (SELECT count(*) FROM tasks r WHERE r.state = 'running' AND r.queue = q) FROM unnest(@counted::text[]) AS q; " +
        "SELECT queue, grp, tasks, interval_ms, level, refilled_at FROM rate_buckets WHERE queue = ANY(@rated); " +
        "SELECT nextval('fencing_token') FROM generate_series(1, @tokens)";

    /// <summary>Stores the token buckets given as arrays (<c>grp</c> '' is the queue's own).</summary>
    public const string SaveBuckets =
        "INSERT INTO rate_buckets (queue, grp, tasks, interval_ms, level, refilled_at) " +
        "SELECT * FROM unnest(@queue::text[], @grp::text[], @tasks::int[], @interval::bigint[], @level::bigint[], @at::bigint[]) " +
        "ON CONFLICT (queue, grp) DO UPDATE SET tasks = excluded.tasks, interval_ms = excluded.interval_ms, level = excluded.level, " +
        "refilled_at = excluded.refilled_at";

    /// <summary>Drops the token buckets of <c>@queue</c> its settings no longer name (the rates in <c>@grp</c>, <c>@tasks</c>, <c>@interval</c>).</summary>
    public const string DropStaleBuckets =
        "DELETE FROM rate_buckets b WHERE b.queue = @queue AND NOT EXISTS (SELECT 1 FROM " +
        "unnest(@grp::text[], @tasks::int[], @interval::bigint[]) AS k(grp, tasks, interval_ms) " +
        "WHERE k.grp = b.grp AND k.tasks = b.tasks AND k.interval_ms = b.interval_ms)";

    /// <summary>The bucket key of a queue's own rate in <c>rate_buckets.grp</c> (no group is named '').</summary>
    public const string QueueBucket = "";

    /// <summary>When claims of a queue hold its lock exclusively (SQL over <c>s</c>, a <c>queue_settings</c> row); see <see cref="IsSerial"/>.</summary>
    private const string SerialQueue =
        "NOT s.paused AND (s.max_running IS NOT NULL OR s.rate_tasks IS NOT NULL OR s.group_rates IS NOT NULL)";

    /// <summary>
    /// Whether claims of a queue with <paramref name="settings"/> hold its lock exclusively: it counts running tasks or
    /// spends tokens. A paused queue hands out nothing; an open one needs no count.
    /// </summary>
    public static bool IsSerial(QueueSettings settings) =>
        !settings.Paused && (settings.MaxRunning is not null || settings.Rate is not null || settings.GroupRates.Count > 0);

    /// <summary>The SQL that takes the lock of <paramref name="name"/> exclusively when <paramref name="exclusive"/> holds, else shared, and says which.</summary>
    private static string Lock(string exclusive, string prefix, string name) =>
        $"CASE WHEN {exclusive} THEN (SELECT true FROM pg_advisory_xact_lock({PgLocks.Key(prefix, name)})) " +
        $"ELSE (SELECT false FROM pg_advisory_xact_lock_shared({PgLocks.Key(prefix, name)})) END";
}
