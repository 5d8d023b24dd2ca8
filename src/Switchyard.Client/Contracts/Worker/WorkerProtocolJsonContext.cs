using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchyard.Client.Contracts.Worker;

/// <summary>Source-generated JSON metadata of the worker protocol's frames.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowOutOfOrderMetadataProperties = true)]
[JsonSerializable(typeof(WorkerMessage))]
public sealed partial class WorkerProtocolJsonContext : JsonSerializerContext;
