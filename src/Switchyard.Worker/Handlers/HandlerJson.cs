using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchyard.Worker.Handlers;

/// <summary>Source-generated JSON metadata of the built-in handlers' payloads; unknown fields are refused (a typo fails fast).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(ShellExecPayload))]
[JsonSerializable(typeof(HttpRequestPayload))]
[JsonSerializable(typeof(FsScanPayload))]
[JsonSerializable(typeof(FsReadPayload))]
[JsonSerializable(typeof(FsWritePayload))]
[JsonSerializable(typeof(AnalysisScanPayload))]
internal sealed partial class HandlerJson : JsonSerializerContext;
