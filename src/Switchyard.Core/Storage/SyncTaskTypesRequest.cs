using Switchyard.Core.Types;

namespace Switchyard.Core.Storage;

/// <summary>The types file's definitions, applied at start.</summary>
public sealed record SyncTaskTypesRequest(IReadOnlyList<TaskTypeDefinition> Definitions);
