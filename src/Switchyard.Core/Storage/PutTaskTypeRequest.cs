using Switchyard.Core.Types;

namespace Switchyard.Core.Storage;

/// <summary>Creates or replaces a task type (already checked by <see cref="TaskTypeRules"/>).</summary>
public sealed record PutTaskTypeRequest(TaskTypeDefinition Definition, string? Actor);
