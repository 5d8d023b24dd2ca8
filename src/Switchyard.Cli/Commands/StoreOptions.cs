using System.CommandLine;
using Switchyard.Server.Hosting;
using Switchyard.Storage.Postgres;

namespace Switchyard.Cli.Commands;

/// <summary>The options that pick a store, shared by <c>serve</c> and <c>migrate</c>.</summary>
internal static class StoreOptions
{
    public static Option<string?> Store()
    {
        var store = new Option<string?>("--store")
        {
            Description = $"{ServerOptions.SqliteStore} (default: embedded, in --data) or {ServerOptions.PostgresStore} (needs --postgres; env SWITCHYARD_STORE)",
        };
        store.AcceptOnlyFromAmong(ServerOptions.SqliteStore, ServerOptions.PostgresStore);
        return store;
    }

    public static Option<string?> Postgres() => new("--postgres")
    {
        Description = "PostgreSQL connection string for --store postgres, e.g. 'Host=db;Database=switchyard;Username=switchyard' (env SWITCHYARD_POSTGRES)",
    };

    public static Option<string?> Schema() => new("--schema")
    {
        Description = $"PostgreSQL schema of Switchyard's tables (default {PostgresStoreOptions.DefaultSchema}; setting Postgres:Schema)",
    };
}
