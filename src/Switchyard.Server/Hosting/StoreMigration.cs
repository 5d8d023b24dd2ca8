using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Switchyard.Storage.Postgres;
using Switchyard.Storage.Sqlite;

namespace Switchyard.Server.Hosting;

/// <summary>
/// <c>switchyard migrate</c>: applies the configured store's numbered migrations without starting a server, as every
/// node also does at start (under an advisory lock on PostgreSQL, so nodes starting together migrate once).
/// </summary>
public static class StoreMigration
{
    /// <summary>
    /// What a migration run did: the store, where it is (never a password), migrations applied, and the schema version now;
    /// <see cref="Ignored"/>: the settings given that nothing reads (a misspelt key), as <c>serve</c> logs them.
    /// </summary>
    public sealed record Report(string Store, string Location, int Applied, int Version)
    {
        public IReadOnlyList<string> Ignored { get; init; } = [];
    }

    /// <summary>Migrates the store the settings name (same sources and overrides as <see cref="SwitchyardServer.Build"/>).</summary>
    /// <exception cref="InvalidOperationException">A setting is invalid, or the store cannot be opened; the message says which.</exception>
    public static async Task<Report> RunAsync(IReadOnlyDictionary<string, string?>? overrides, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationManager();
        ConfigurationSources.Add(configuration, overrides);
        var server = configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        if (server.Validate() is [var problem, ..])
        {
            throw new InvalidOperationException(problem);
        }

        var report = server.StoreKind == ServerOptions.PostgresStore
            ? await PostgresAsync(configuration, cancellationToken)
            : Sqlite(configuration, server);
        return report with { Ignored = UnknownSettings.Find(configuration) };
    }

    private static async Task<Report> PostgresAsync(ConfigurationManager configuration, CancellationToken cancellationToken)
    {
        var options = configuration.GetSection(PostgresStoreOptions.Section).Get<PostgresStoreOptions>() ?? new PostgresStoreOptions();
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new InvalidOperationException(string.Join("; ", problems));
        }

        var location = ServiceRegistration.DescribePostgres(options);
        await using var database = new PostgresDatabase(options);
        try
        {
            var applied = await PgMigrator.ApplyAsync(database, cancellationToken);
            return new Report(ServerOptions.PostgresStore, location, applied, await PgMigrator.VersionAsync(database, cancellationToken));
        }
        catch (DbException ex)
        {
            throw new InvalidOperationException($"Could not migrate the {ServerOptions.PostgresStore} store ({location}): {ex.Message}", ex);
        }
    }

    private static Report Sqlite(ConfigurationManager configuration, ServerOptions server)
    {
        var options = configuration.GetSection(SqliteStoreOptions.Section).Get<SqliteStoreOptions>() ?? new SqliteStoreOptions();
        options.DataDirectory = server.DataDirectory;
        try
        {
            var (applied, version) = new SqliteDatabase(options).Migrate();
            return new Report(ServerOptions.SqliteStore, options.DatabasePath, applied, version);
        }
        catch (Exception ex) when (ex is DbException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Could not migrate the {ServerOptions.SqliteStore} store ({options.DatabasePath}): {ex.Message}", ex);
        }
    }
}
