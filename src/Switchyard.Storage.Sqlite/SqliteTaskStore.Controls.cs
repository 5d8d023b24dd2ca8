using Switchyard.Core.Queues;
using Switchyard.Core.Storage;
using Switchyard.Core.Types;

namespace Switchyard.Storage.Sqlite;

/// <summary>
/// The control side: task types and queue settings. Writes go through the writer, so the claim path's limits change
/// in the same step as the rows; reads use the pooled read connections.
/// </summary>
public sealed partial class SqliteTaskStore
{
    public Task<IReadOnlyList<TaskTypeDefinition>> ListTaskTypesAsync(CancellationToken cancellationToken) =>
        ControlRows.ReadAllAsync(database, ControlRows.SelectTypes, ControlColumns.ReadType, cancellationToken);

    public Task<TaskTypeDefinition> PutTaskTypeAsync(PutTaskTypeRequest request, CancellationToken cancellationToken) =>
        Writer.Run(context =>
        {
            var stored = request.Definition with { UpdatedAt = context.Now };
            ControlRows.UpsertType(context.Connection, stored);
            context.Controls.Limits.SetType(stored);
            return stored;
        }, cancellationToken);

    public Task<bool> DeleteTaskTypeAsync(DeleteTaskTypeRequest request, CancellationToken cancellationToken) =>
        Writer.Run(context =>
        {
            var deleted = ControlRows.Execute(context.Connection, "DELETE FROM task_types WHERE type = $type", ("$type", request.Type)) == 1;
            context.Controls.Limits.SetConcurrency(request.Type, null);
            return deleted;
        }, cancellationToken);

    public Task<IReadOnlyList<TaskTypeDefinition>> SyncTaskTypesAsync(SyncTaskTypesRequest request, CancellationToken cancellationToken) =>
        Writer.Run(context =>
        {
            var now = context.Now;
            ControlRows.Execute(context.Connection, "DELETE FROM task_types WHERE source = 'file'");
            foreach (var definition in request.Definitions)
            {
                ControlRows.UpsertType(context.Connection, definition with { Source = TaskTypeSource.File, UpdatedAt = now });
            }

            using var select = context.Connection.CreateCommand();
            select.CommandText = ControlRows.SelectTypes;
            var all = ControlRows.ReadTypes(select);
            context.Controls.Limits.ReplaceTypes(all);
            return all;
        }, cancellationToken);

    public Task<IReadOnlyList<QueueSettings>> ListQueueSettingsAsync(CancellationToken cancellationToken) =>
        ControlRows.ReadAllAsync(database, ControlRows.SelectQueues, ControlColumns.ReadQueue, cancellationToken);

    public Task<QueueSettings> UpdateQueueSettingsAsync(UpdateQueueSettingsRequest request, CancellationToken cancellationToken) =>
        Writer.Run(context =>
        {
            // The limits mirror the rows, so the current settings are read from memory.
            var updated = request.Patch.ApplyTo(context.Controls.Limits.SettingsOf(request.Queue)) with { UpdatedAt = context.Now };
            ControlRows.UpsertQueue(context.Connection, updated);
            context.Controls.Limits.Set(updated);
            return updated;
        }, cancellationToken);
}
