using System.Text.Json.Serialization;
using Switchyard.Core.Engine;

namespace Switchyard.Core.Scheduling;

/// <summary>Source-generated JSON metadata of stored schedule templates.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(SubmitTask))]
internal sealed partial class ScheduleJsonContext : JsonSerializerContext;
