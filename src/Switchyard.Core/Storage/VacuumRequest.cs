namespace Switchyard.Core.Storage;

/// <summary>
/// <see cref="Full"/>: rewrite the whole store to give freed space back (SQLite <c>VACUUM</c>, which holds every other
/// write until it ends); otherwise only refresh statistics and fold the write-ahead log into the store.
/// </summary>
public sealed record VacuumRequest(bool Full = true);
