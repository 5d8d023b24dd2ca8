using Npgsql;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Postgres;

/// <summary>Administration of Switchyard's schema: vacuum of its tables, purge of old finished tasks.</summary>
public sealed partial class PostgresTaskStore : IStoreMaintenance
{
    private static readonly TaskState[] Finished = [TaskState.Completed, TaskState.Failed, TaskState.Cancelled];

    /// <summary><c>VACUUM (FULL, ANALYZE)</c> (or without <c>FULL</c>) of each table of the schema, outside any transaction.</summary>
    public async Task<VacuumResult> VacuumStoreAsync(VacuumRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = @schema ORDER BY tablename", connection))
        {
            list.Parameters.AddWithValue("schema", database.Options.Schema);
            await using var reader = await list.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }

        var before = await BytesAsync(connection, cancellationToken);
        foreach (var table in tables)
        {
            var quoted = "\"" + database.Options.Schema.Replace("\"", "\"\"", StringComparison.Ordinal) + "\".\"" + table.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            await using var vacuum = new NpgsqlCommand((request.Full ? "VACUUM (FULL, ANALYZE) " : "VACUUM (ANALYZE) ") + quoted, connection);
            await vacuum.ExecuteNonQueryAsync(cancellationToken);
        }

        return new VacuumResult(before, await BytesAsync(connection, cancellationToken));
    }

    public Task<int> PurgeFinishedAsync(PurgeFinishedRequest request, CancellationToken cancellationToken)
    {
        var states = (request.States.Count == 0 ? Finished : request.States.Where(Finished.Contains)).Select(s => s.ToName()).ToArray();
        if (states.Length == 0 || request.MaxTasks < 1)
        {
            return Task.FromResult(0);
        }

        return RunAsync(async (tx, ct) =>
        {
            var doomed = new List<long>();
            await using (var select = tx.Command(
                             "SELECT seq FROM tasks WHERE state = ANY(@states) AND finished_at <= @before AND (@queue::text IS NULL OR queue = @queue) " +
                             "ORDER BY finished_at LIMIT @limit FOR UPDATE SKIP LOCKED"))
            {
                select.Parameters.AddWithValue("states", states);
                select.Parameters.AddWithValue("before", PgTaskRows.Ms(request.FinishedBefore));
                PgTaskRows.Set(select, "queue", request.Queue);
                select.Parameters.AddWithValue("limit", request.MaxTasks);
                await using var reader = await select.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    doomed.Add(reader.GetInt64(0));
                }
            }

            foreach (var seq in doomed)
            {
                await tx.DeleteAsync(seq, ct);
            }

            return doomed.Count;
        }, cancellationToken);
    }

    private async Task<long> BytesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var size = new NpgsqlCommand(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE n.nspname = @schema AND c.relkind = 'r'", connection);
        size.Parameters.AddWithValue("schema", database.Options.Schema);
        return (long)(await size.ExecuteScalarAsync(cancellationToken))!;
    }
}
