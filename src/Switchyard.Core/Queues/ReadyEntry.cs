namespace Switchyard.Core.Queues;

/// <summary>A queued task as the <see cref="ReadyIndex"/> knows it.</summary>
public readonly record struct ReadyEntry(long Seq, string Queue, string Scope, string Group, string Type, int Priority);
