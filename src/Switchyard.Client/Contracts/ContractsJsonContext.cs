using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchyard.Client.Contracts;

/// <summary>Source-generated JSON metadata for every wire contract (server and client share it).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(TaskDto))]
[JsonSerializable(typeof(SubmitTaskRequest))]
[JsonSerializable(typeof(SubmitBatchRequest))]
[JsonSerializable(typeof(SubmitBatchResponse))]
[JsonSerializable(typeof(TaskListResponse))]
[JsonSerializable(typeof(TaskCountResponse))]
[JsonSerializable(typeof(TaskHistoryResponse))]
[JsonSerializable(typeof(ReasonRequest))]
[JsonSerializable(typeof(ReviewDecisionRequest))]
[JsonSerializable(typeof(ReviewClaimRequest))]
[JsonSerializable(typeof(ClaimTasksRequest))]
[JsonSerializable(typeof(ClaimTasksResponse))]
[JsonSerializable(typeof(HeartbeatRequest))]
[JsonSerializable(typeof(HeartbeatResponse))]
[JsonSerializable(typeof(CompleteRequest))]
[JsonSerializable(typeof(FailRequest))]
[JsonSerializable(typeof(QueueListResponse))]
[JsonSerializable(typeof(QueueDto))]
[JsonSerializable(typeof(ProblemDto))]
[JsonSerializable(typeof(WorkerDto))]
[JsonSerializable(typeof(WorkerListResponse))]
[JsonSerializable(typeof(TaskTypeDto))]
[JsonSerializable(typeof(TaskTypeListResponse))]
[JsonSerializable(typeof(QueueSettingsDto))]
[JsonSerializable(typeof(EventDto))]
[JsonSerializable(typeof(EventStatsDto))]
[JsonSerializable(typeof(ScheduleDto))]
[JsonSerializable(typeof(PutScheduleRequest))]
[JsonSerializable(typeof(ScheduleListResponse))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;

/// <summary>The contracts as the server writes them.</summary>
public sealed partial class ContractsJsonContext
{
    /// <summary>
    /// <see cref="Default"/>'s settings, writing text as it is rather than escaping what HTML would need escaped: the wire
    /// carries JSON for programs, and an apostrophe in a problem's detail should read as one, not as <c>\u0027</c>.
    /// </summary>
    public static ContractsJsonContext Wire => LazyInitializer.EnsureInitialized(ref _wire, () =>
        new(new JsonSerializerOptions(Default.Options) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

    private static ContractsJsonContext? _wire;
}
