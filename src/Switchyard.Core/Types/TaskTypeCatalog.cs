using Microsoft.Extensions.Logging;
using Switchyard.Core.Cluster;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Core.Types;

/// <summary>
/// Reads and changes task types through the store and keeps the <see cref="TaskTypeRegistry"/> that submits consult
/// in step. Changes are checked first (<see cref="TaskTypeRules"/>) and applied one at a time. In a cluster a change is
/// announced, and the other nodes read the types again.
/// </summary>
public sealed partial class TaskTypeCatalog(
    IControlStore store, TaskTypeRegistry registry, TaskBroker broker, ILogger<TaskTypeCatalog> logger) : IDisposable, IClusterCache
{
    private readonly SemaphoreSlim _changing = new(1, 1);

    public TaskTypeRegistry Registry => registry;

    /// <summary>
    /// At start: checks the types file's definitions, makes them the stored file-sourced types, and loads every stored type.
    /// Returns the first problem of the file (nothing stored then), its field under <c>types[i].</c>.
    /// </summary>
    public async Task<OperationError?> LoadAsync(IReadOnlyList<TaskTypeDefinition> fromFile, CancellationToken cancellationToken)
    {
        var now = broker.Time.GetUtcNow();
        for (var i = 0; i < fromFile.Count; i++)
        {
            if (await TaskTypeRules.CheckAsync(fromFile[i], broker.Options, now, $"types[{i}].", cancellationToken) is { } problem)
            {
                return problem;
            }
        }

        var duplicate = fromFile.GroupBy(d => d.Type, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            return OperationError.Validation("types", $"'{duplicate.Key}' is defined more than once");
        }

        await ChangeAsync(ct => store.SyncTaskTypesAsync(
            new SyncTaskTypesRequest(fromFile.Select(d => d with { Source = TaskTypeSource.File }).ToArray()), ct), cancellationToken);
        return null;
    }

    public Task<IReadOnlyList<TaskTypeDefinition>> ListAsync(CancellationToken cancellationToken) => store.ListTaskTypesAsync(cancellationToken);

    public async Task<TaskTypeDefinition?> GetAsync(string type, CancellationToken cancellationToken) =>
        (await store.ListTaskTypesAsync(cancellationToken)).FirstOrDefault(d => d.Type == type);

    /// <summary>Creates or replaces a type (source API); its concurrency applies to the next claim.</summary>
    public async Task<Outcome<TaskTypeDefinition>> PutAsync(TaskTypeDefinition definition, string? actor, CancellationToken cancellationToken)
    {
        if (await TaskTypeRules.CheckAsync(definition, broker.Options, broker.Time.GetUtcNow(), string.Empty, cancellationToken) is { } problem)
        {
            return problem;
        }

        TaskTypeDefinition? stored = null;
        await ChangeAsync(async ct =>
        {
            stored = await store.PutTaskTypeAsync(new PutTaskTypeRequest(definition with { Source = TaskTypeSource.Api }, actor), ct);
            return await store.ListTaskTypesAsync(ct);
        }, cancellationToken);
        return stored!;
    }

    public async Task<bool> DeleteAsync(string type, string? actor, CancellationToken cancellationToken)
    {
        var deleted = false;
        await ChangeAsync(async ct =>
        {
            deleted = await store.DeleteTaskTypeAsync(new DeleteTaskTypeRequest(type, actor), ct);
            return await store.ListTaskTypesAsync(ct);
        }, cancellationToken);
        return deleted;
    }

    /// <summary>
    /// Re-reads every stored type into the registry (changes made through another node) and wakes the claimers, without
    /// announcing a change of its own; idempotent. The cluster inbox and <see cref="Engine.ControlsReload"/> call it.
    /// </summary>
    public Task ReloadAsync(CancellationToken cancellationToken) => ChangeAsync(store.ListTaskTypesAsync, cancellationToken, announce: false);

    public void Dispose() => _changing.Dispose();

    private async Task ChangeAsync(
        Func<CancellationToken, Task<IReadOnlyList<TaskTypeDefinition>>> change, CancellationToken cancellationToken, bool announce = true)
    {
        await _changing.WaitAsync(cancellationToken);
        try
        {
            // Not cancelled half-way: once the store changed, the registry follows.
            var all = await change(CancellationToken.None);
            foreach (var problem in await registry.ReplaceAsync(all, CancellationToken.None))
            {
                LogSchemaUnusable(logger, problem.Message); // stored before this version refused it: its payloads go unchecked
            }
        }
        finally
        {
            _changing.Release();
        }

        if (announce)
        {
            broker.Cluster.SendControlsChanged();
        }

        broker.WorkArrived.Pulse(); // a raised concurrency limit lets held tasks go
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "A stored task type's payload schema does not compile; its payloads are not checked: {Problem}")]
    private static partial void LogSchemaUnusable(ILogger logger, string problem);
}
