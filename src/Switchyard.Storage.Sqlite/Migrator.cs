using Microsoft.Data.Sqlite;

namespace Switchyard.Storage.Sqlite;

/// <summary>Applies the numbered SQL files embedded under <c>Migrations/</c> that the database has not seen yet, each in its own transaction.</summary>
internal static class Migrator
{
    private const string Prefix = "Switchyard.Storage.Sqlite.Migrations.";

    public static IReadOnlyList<(int Version, string Name, string Sql)> Embedded { get; } =
        Core.Storage.EmbeddedMigrations.Load(typeof(Migrator).Assembly, Prefix);

    public static int Apply(SqliteConnection connection)
    {
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )
            """);
        var applied = new HashSet<int>();
        using (var query = connection.CreateCommand())
        {
            query.CommandText = "SELECT version FROM schema_migrations";
            using var reader = query.ExecuteReader();
            while (reader.Read())
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        var count = 0;
        foreach (var (version, name, sql) in Embedded.Where(m => !applied.Contains(m.Version)))
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, sql, transaction);
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($v, $n, datetime('now'))";
            record.Parameters.AddWithValue("$v", version);
            record.Parameters.AddWithValue("$n", name);
            record.ExecuteNonQuery();
            transaction.Commit();
            count++;
        }

        return count;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
