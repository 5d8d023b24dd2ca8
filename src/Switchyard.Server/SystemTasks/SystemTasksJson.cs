using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchyard.Server.SystemTasks;

/// <summary>Source-generated JSON metadata of system task payloads; unknown fields are refused.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(DbMaintenancePayload))]
internal sealed partial class SystemTasksJson : JsonSerializerContext;
