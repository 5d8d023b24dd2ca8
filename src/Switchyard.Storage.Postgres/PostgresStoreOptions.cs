using Switchyard.Core.Storage;

namespace Switchyard.Storage.Postgres;

/// <summary>Settings of the PostgreSQL store; bound from <c>Postgres</c>. Every node of a cluster uses the same values.</summary>
public sealed class PostgresStoreOptions
{
    public const string Section = "Postgres";
    public const string DefaultSchema = "switchyard";

    /// <summary>An Npgsql connection string, e.g. <c>Host=db;Database=switchyard;Username=switchyard;Password=...</c>.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>The schema that holds Switchyard's tables; created by the first migration run if missing.</summary>
    public string Schema { get; set; } = DefaultSchema;

    /// <summary>
    /// <see cref="Durability.Fsync"/> (default): a write is acknowledged once PostgreSQL has committed it as its
    /// configuration says (with the default <c>synchronous_commit=on</c>, flushed to its WAL on disk).
    /// <see cref="Durability.Process"/>: this node's sessions run with <c>synchronous_commit=off</c>: a killed
    /// Switchyard node loses nothing, a PostgreSQL crash or power cut loses the last moments of acknowledged writes
    /// (up to three <c>wal_writer_delay</c>s), never consistency.
    /// </summary>
    public Durability Durability { get; set; } = Durability.Fsync;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            problems.Add("Postgres:ConnectionString is required with --store postgres (or SWITCHYARD_POSTGRES)");
        }

        if (string.IsNullOrWhiteSpace(Schema) || !Schema.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(Schema[0]))
        {
            problems.Add("Postgres:Schema must be letters, digits and _ and start with a letter");
        }

        return problems;
    }
}
