using System.Data.Common;
using Npgsql;
using Switchyard.Core.Queues;
using Switchyard.Core.Storage;
using Switchyard.Core.Types;

namespace Switchyard.Storage.Postgres;

/// <summary>
/// The control side on the shared database: task types and queue settings. A change takes the claim lock of its type or
/// queue exclusively, so it waits for the claims deciding under the old values and the next claims see the new ones.
/// </summary>
public sealed partial class PostgresTaskStore : IControlStore
{
    public Task<IReadOnlyList<TaskTypeDefinition>> ListTaskTypesAsync(CancellationToken cancellationToken) =>
        ReadControlsAsync(PgControlRows.SelectTypes, ControlColumns.ReadType, cancellationToken);

    public Task<TaskTypeDefinition> PutTaskTypeAsync(PutTaskTypeRequest request, CancellationToken cancellationToken) =>
        RunAsync(async (tx, ct) =>
        {
            await PgLocks.ExclusiveAsync(tx, PgLocks.TypeClaims, [request.Definition.Type], ct);
            var stored = request.Definition with { UpdatedAt = tx.Now };
            await using var upsert = PgControlRows.Write(tx, PgControlRows.UpsertType, ControlColumns.ValuesOf(stored));
            await upsert.ExecuteNonQueryAsync(ct);
            return stored;
        }, cancellationToken);

    public Task<bool> DeleteTaskTypeAsync(DeleteTaskTypeRequest request, CancellationToken cancellationToken) =>
        RunAsync(async (tx, ct) =>
        {
            await PgLocks.ExclusiveAsync(tx, PgLocks.TypeClaims, [request.Type], ct);
            await using var delete = tx.Command("DELETE FROM task_types WHERE type = @type");
            delete.Parameters.AddWithValue("type", request.Type);
            return await delete.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);

    public Task<IReadOnlyList<TaskTypeDefinition>> SyncTaskTypesAsync(SyncTaskTypesRequest request, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<TaskTypeDefinition>>(async (tx, ct) =>
        {
            var touched = request.Definitions.Select(d => d.Type).ToList();
            await using (var files = tx.Command("SELECT type FROM task_types WHERE source = 'file'"))
            await using (var reader = await files.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    touched.Add(reader.GetString(0));
                }
            }

            await PgLocks.ExclusiveAsync(tx, PgLocks.TypeClaims, touched, ct);
            await using (var delete = tx.Command("DELETE FROM task_types WHERE source = 'file'"))
            {
                await delete.ExecuteNonQueryAsync(ct);
            }

            foreach (var definition in request.Definitions)
            {
                await using var upsert = PgControlRows.Write(tx, PgControlRows.UpsertType,
                    ControlColumns.ValuesOf(definition with { Source = TaskTypeSource.File, UpdatedAt = tx.Now }));
                await upsert.ExecuteNonQueryAsync(ct);
            }

            await using var select = tx.Command(PgControlRows.SelectTypes);
            return await ReadAllAsync(select, ControlColumns.ReadType, ct);
        }, cancellationToken);

    public Task<IReadOnlyList<QueueSettings>> ListQueueSettingsAsync(CancellationToken cancellationToken) =>
        ReadControlsAsync(PgControlRows.SelectQueues, ControlColumns.ReadQueue, cancellationToken);

    public Task<QueueSettings> UpdateQueueSettingsAsync(UpdateQueueSettingsRequest request, CancellationToken cancellationToken) =>
        RunAsync(async (tx, ct) =>
        {
            await PgLocks.ExclusiveAsync(tx, PgLocks.QueueClaims, [request.Queue], ct);
            QueueSettings current;
            await using (var select = tx.Command(PgControlRows.LockQueue))
            {
                select.Parameters.AddWithValue("queue", request.Queue);
                current = (await ReadAllAsync(select, ControlColumns.ReadQueue, ct))[0];
            }

            var updated = request.Patch.ApplyTo(current) with { UpdatedAt = tx.Now };
            await using (var upsert = PgControlRows.Write(tx, PgControlRows.UpsertQueue, ControlColumns.ValuesOf(updated)))
            {
                await upsert.ExecuteNonQueryAsync(ct);
            }

            // A bucket stays only while its rate does: a new rate starts full, as in the embedded store.
            var rates = updated.GroupRates.Select(r => (Group: r.Key, Rate: r.Value))
                .Concat(updated.Rate is { } own ? [(PgClaimSql.QueueBucket, own)] : []).ToArray();
            await using var drop = tx.Command(PgClaimSql.DropStaleBuckets);
            drop.Parameters.AddWithValue("queue", request.Queue);
            drop.Parameters.AddWithValue("grp", rates.Select(r => r.Group).ToArray());
            drop.Parameters.AddWithValue("tasks", rates.Select(r => r.Rate.Tasks).ToArray());
            drop.Parameters.AddWithValue("interval", rates.Select(r => r.Rate.IntervalMs).ToArray());
            await drop.ExecuteNonQueryAsync(ct);
            return updated;
        }, cancellationToken);

    private async Task<IReadOnlyList<T>> ReadControlsAsync<T>(string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return await ReadAllAsync(command, read, cancellationToken);
    }

    private static async Task<IReadOnlyList<T>> ReadAllAsync<T>(DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var all = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            all.Add(read(reader));
        }

        return all;
    }
}
