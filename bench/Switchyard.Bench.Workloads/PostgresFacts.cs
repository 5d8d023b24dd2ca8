using Npgsql;

namespace Switchyard.Bench.Workloads;

/// <summary>The PostgreSQL server a bench ran on: its version and the settings that decide what a commit promises.</summary>
internal sealed record PostgresFacts(string Version, IReadOnlyDictionary<string, string> Settings)
{
    private static readonly string[] Names = ["fsync", "synchronous_commit", "wal_sync_method", "full_page_writes", "shared_buffers", "max_connections"];

    public static async Task<PostgresFacts> ReadAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, setting FROM pg_settings WHERE name = ANY($1) ORDER BY name";
        command.Parameters.Add(new NpgsqlParameter { Value = Names });
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                settings[reader.GetString(0)] = reader.GetString(1);
            }
        }

        return new PostgresFacts(connection.PostgreSqlVersion.ToString(), settings);
    }
}
