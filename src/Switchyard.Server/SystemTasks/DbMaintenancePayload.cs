namespace Switchyard.Server.SystemTasks;

/// <summary>
/// Payload of <c>db.maintenance</c>: <c>operation</c> (<c>vacuum</c>, <c>purge</c> or <c>export</c>) and its options:
/// <c>full</c> (vacuum; default true), <c>olderThanMs</c> (purge: required, finished at least this long ago; export:
/// created at least this long ago), <c>states</c> and <c>queue</c> (filters), <c>file</c> (export: a plain file name
/// under the data folder's <c>exports/</c>).
/// </summary>
internal sealed record DbMaintenancePayload
{
    public string? Operation { get; init; }

    public bool? Full { get; init; }

    public long? OlderThanMs { get; init; }

    public List<string>? States { get; init; }

    public string? Queue { get; init; }

    public string? File { get; init; }
}
