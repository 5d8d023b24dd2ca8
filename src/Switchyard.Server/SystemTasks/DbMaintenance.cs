using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Switchyard.Client.Contracts;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;
using Switchyard.Server.Endpoints;

namespace Switchyard.Server.SystemTasks;

/// <summary>
/// The operations of a <c>db.maintenance</c> task on the server's own store: <c>vacuum</c>, <c>purge</c> and
/// <c>export</c> (JSON lines under <c>DATA/exports/</c>, written to a temporary file and renamed).
/// </summary>
internal sealed partial class DbMaintenance(IStoreMaintenance store, TaskBroker broker, string exportFolder)
{
    public const string TypeName = "db.maintenance";
    private const int PurgeBatch = 1_000;

    public async Task<JsonText> RunAsync(TaskRecord task, CancellationToken cancellationToken)
    {
        DbMaintenancePayload payload;
        try
        {
            payload = JsonSerializer.Deserialize(task.Payload.Raw ?? "null", SystemTasksJson.Default.DbMaintenancePayload)
                      ?? throw SystemTaskFailure.Invalid("a payload with an operation is required");
        }
        catch (JsonException ex)
        {
            throw SystemTaskFailure.Invalid($"the payload does not fit: {ContractJsonErrors.Describe(ex, SystemTasksJson.Default)}");
        }

        if (payload.OlderThanMs is < 0)
        {
            throw SystemTaskFailure.Invalid("olderThanMs must not be negative");
        }

        var result = payload.Operation switch
        {
            "vacuum" => await VacuumAsync(payload, cancellationToken),
            "purge" => await PurgeAsync(payload, cancellationToken),
            "export" => await ExportAsync(payload, task, cancellationToken),
            _ => throw SystemTaskFailure.Invalid($"operation must be vacuum, purge or export, not '{payload.Operation}'"),
        };
        result["operation"] = payload.Operation;
        return new JsonText(result.ToJsonString());
    }

    private async Task<JsonObject> VacuumAsync(DbMaintenancePayload payload, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var vacuum = await store.VacuumStoreAsync(new VacuumRequest(payload.Full ?? true), cancellationToken);
        return new JsonObject
        {
            ["full"] = payload.Full ?? true,
            ["bytesBefore"] = vacuum.BytesBefore,
            ["bytesAfter"] = vacuum.BytesAfter,
            ["durationMs"] = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
        };
    }

    private async Task<JsonObject> PurgeAsync(DbMaintenancePayload payload, CancellationToken cancellationToken)
    {
        if (payload.OlderThanMs is not { } olderThan)
        {
            throw SystemTaskFailure.Invalid("purge needs olderThanMs: how long ago a task must have finished to be deleted");
        }

        var states = States(payload, finishedOnly: true);
        var before = TimeMs.Now(broker.Time).AddMilliseconds(-olderThan);
        var purged = 0;
        int batch;
        do
        {
            batch = await store.PurgeFinishedAsync(new PurgeFinishedRequest(before, states, payload.Queue, PurgeBatch), cancellationToken);
            purged += batch;
        }
        while (batch == PurgeBatch);

        return new JsonObject { ["purged"] = purged, ["finishedBefore"] = before.ToString("O", CultureInfo.InvariantCulture) };
    }

    private async Task<JsonObject> ExportAsync(DbMaintenancePayload payload, TaskRecord task, CancellationToken cancellationToken)
    {
        var name = payload.File ?? $"tasks-{TimeMs.Now(broker.Time):yyyyMMdd-HHmmss}-{task.Id[..8]}.jsonl";
        if (!FileName().IsMatch(name))
        {
            throw SystemTaskFailure.Invalid($"file must be a plain file name (letters, digits, '.', '_', '-'; no folders), not '{name}'");
        }

        Directory.CreateDirectory(exportFolder);
        var path = Path.Join(exportFolder, name);
        if (File.Exists(path))
        {
            throw new SystemTaskFailure(new TaskError("file_exists", $"db.maintenance: exports/{name} exists already.", ErrorKind.Fatal));
        }

        var createdBefore = payload.OlderThanMs is { } ms ? TimeMs.Now(broker.Time).AddMilliseconds(-ms) : (DateTimeOffset?)null;
        var query = new TaskQuery { States = States(payload, finishedOnly: false), Queue = payload.Queue, Limit = TaskQuery.MaxLimit };
        var temporary = path + ".tmp";
        var count = 0L;
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 65_536, true))
            {
                await using var writer = new StreamWriter(stream);
                for (var page = await broker.ListAsync(query, cancellationToken); ; page = await broker.ListAsync(query with { Cursor = page.NextCursor }, cancellationToken))
                {
                    foreach (var exported in page.Tasks.Where(t => createdBefore is null || t.CreatedAt <= createdBefore))
                    {
                        await writer.WriteLineAsync(JsonSerializer.Serialize(exported.ToDto(), ContractsJsonContext.Wire.TaskDto).AsMemory(), cancellationToken);
                        count++;
                    }

                    if (page.NextCursor is null || page.Tasks.Count == 0)
                    {
                        break;
                    }
                }

                await writer.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path);
        }
        finally
        {
            File.Delete(temporary);
        }

        return new JsonObject { ["file"] = "exports/" + name, ["path"] = path, ["count"] = count, ["bytes"] = new FileInfo(path).Length };
    }

    private static TaskState[] States(DbMaintenancePayload payload, bool finishedOnly)
    {
        var states = new List<TaskState>();
        foreach (var name in payload.States ?? [])
        {
            if (!TaskStates.TryParse(name, out var state) || (finishedOnly && !state.IsTerminal()))
            {
                throw SystemTaskFailure.Invalid(finishedOnly
                    ? $"purge deletes completed, failed or cancelled tasks; '{name}' is not one of them"
                    : $"'{name}' is not a task state ({string.Join(", ", TaskStates.AllNames)})");
            }

            states.Add(state);
        }

        return [.. states];
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")]
    private static partial Regex FileName();
}
