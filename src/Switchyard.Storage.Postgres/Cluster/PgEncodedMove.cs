namespace Switchyard.Storage.Postgres.Cluster;

/// <summary>A move's notice and the JSON a payload carries of it.</summary>
internal readonly record struct PgEncodedMove(PgMoveNotice Notice, byte[] Json);
