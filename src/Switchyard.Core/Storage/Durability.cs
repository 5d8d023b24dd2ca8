namespace Switchyard.Core.Storage;

/// <summary>What an acknowledged write survives.</summary>
public enum Durability
{
    /// <summary>Committed and synced to disk before the caller hears OK: survives a power cut (default).</summary>
    Fsync,

    /// <summary>Committed to the write-ahead log without a sync per commit: survives a killed process, not a power cut.</summary>
    Process,
}
