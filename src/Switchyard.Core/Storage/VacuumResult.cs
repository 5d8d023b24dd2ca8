namespace Switchyard.Core.Storage;

/// <summary>Bytes the store takes on disk (with its write-ahead log) before and after a vacuum.</summary>
public sealed record VacuumResult(long BytesBefore, long BytesAfter);
