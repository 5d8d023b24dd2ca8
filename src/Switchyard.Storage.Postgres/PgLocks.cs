namespace Switchyard.Storage.Postgres;

/// <summary>
/// The transaction-scoped advisory locks by which nodes agree on what no row lock covers: a queue's length at submit, and
/// the limits of claims. Keyed by the hash of a name with a prefix per purpose; always taken in ordinal order of the names.
/// </summary>
internal static class PgLocks
{
    /// <summary>Waiting tasks of a queue, counted at submit against its length limit.</summary>
    public const string QueueLength = "queue:";

    /// <summary>Claims of a queue: shared by claims of an open queue, exclusive for one with running or rate limits and for a change of its settings.</summary>
    public const string QueueClaims = "claim-queue:";

    /// <summary>Claims of a task type: shared by claims of unlimited types, exclusive for one with a concurrency limit and for a change of the type.</summary>
    public const string TypeClaims = "claim-type:";

    /// <summary>The SQL of the lock key of <c>prefix</c> and the text expression <paramref name="name"/>.</summary>
    public static string Key(string prefix, string name) => $"hashtextextended('{prefix}' || {name}, 0)";

    /// <summary>Takes the exclusive lock of each name of <paramref name="names"/> under <paramref name="prefix"/>, in ordinal order.</summary>
    public static async Task ExclusiveAsync(PgTransaction tx, string prefix, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        await using var command = tx.Command($"SELECT pg_advisory_xact_lock({Key(prefix, "n")}) FROM unnest(@names) AS n");
        command.Parameters.AddWithValue("names", names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
