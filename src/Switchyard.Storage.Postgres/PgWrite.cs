using Switchyard.Core.Storage;

namespace Switchyard.Storage.Postgres;

/// <summary>A move to write to a row the transaction holds locked, with the actor and reason of its history row.</summary>
internal readonly record struct PgWrite(long Seq, AppliedTransition Move, string? Actor, string? Reason);
