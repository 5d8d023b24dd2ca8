using Switchyard.Core.Model;

namespace Switchyard.Core.Storage;

/// <summary>The lease holder reports a result: running → completed, or → review when the task requires review.</summary>
public sealed record CompleteRequest(string TaskId, long LeaseToken, JsonText Result, long ResultTtlMs, string? Actor);
