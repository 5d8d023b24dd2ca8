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

/// <summary>The frames as the server writes them.</summary>
public sealed partial class WorkerProtocolJsonContext
{
    private static WorkerProtocolJsonContext? _wire;

    /// <summary><see cref="Default"/>'s settings, writing text as it is (see <see cref="ContractsJsonContext.Wire"/>).</summary>
    public static WorkerProtocolJsonContext Wire => LazyInitializer.EnsureInitialized(ref _wire, () =>
        new(new JsonSerializerOptions(Default.Options) { Encoder = ContractsJsonContext.Wire.Options.Encoder }));
}
