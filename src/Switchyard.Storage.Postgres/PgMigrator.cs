using Npgsql;

namespace Switchyard.Storage.Postgres;

/// <summary>
/// Applies the numbered SQL files embedded under <c>Migrations/</c> that the schema has not seen yet, each in its own
/// transaction, under an advisory lock so that nodes starting together migrate once.
/// </summary>
public static class PgMigrator
{
    private const string Prefix = "Switchyard.Storage.Postgres.Migrations.";
    private const long LockKey = 0x5357_5944_4d49_4752; // "SWYDMIGR"

    public static IReadOnlyList<(int Version, string Name, string Sql)> Embedded { get; } =
        Core.Storage.EmbeddedMigrations.Load(typeof(PgMigrator).Assembly, Prefix);

    public static async Task<int> ApplyAsync(PostgresDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // Created only when missing: PostgreSQL checks the right to create a schema before it looks whether it exists,
        // so a role given a schema made for it beforehand, without that right on the database, could not start.
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_namespace WHERE nspname = @schema", connection))
        {
            exists.Parameters.AddWithValue("schema", database.Options.Schema);
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                await ExecuteAsync(connection, null, $"CREATE SCHEMA IF NOT EXISTS \"{database.Options.Schema}\"", cancellationToken);
            }
        }

        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({LockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken);
            var applied = new HashSet<int>();
            await using (var query = new NpgsqlCommand("SELECT version FROM schema_migrations", connection))
            await using (var reader = await query.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    applied.Add(reader.GetInt32(0));
                }
            }

            var count = 0;
            foreach (var (version, name, sql) in Embedded.Where(m => !applied.Contains(m.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, sql, cancellationToken);
                await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES (@v, @n)", connection, transaction);
                record.Parameters.AddWithValue("v", version);
                record.Parameters.AddWithValue("n", name);
                await record.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                count++;
            }

            return count;
        }
        finally
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
        }
    }

    /// <summary>The highest migration the schema has (0 when it has none).</summary>
    public static async Task<int> VersionAsync(PostgresDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_migrations", connection);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
