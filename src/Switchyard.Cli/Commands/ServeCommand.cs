using System.CommandLine;
using System.Globalization;
using Switchyard.Server.Hosting;

namespace Switchyard.Cli.Commands;

/// <summary><c>switchyard serve</c>: runs the server on the embedded SQLite store or a PostgreSQL database until Ctrl+C or SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Build()
    {
        var port = new Option<int?>("--port", "-p") { Description = $"TCP port (default {ServerOptions.DefaultPort}; env SWITCHYARD_PORT)" };
        var host = new Option<string?>("--host") { Description = $"Address to bind (default {ServerOptions.DefaultHost}; env SWITCHYARD_HOST)" };
        var data = new Option<string?>("--data", "-d") { Description = $"Data directory (default ./{ServerOptions.DefaultDataDirectory}; env SWITCHYARD_DATA)" };
        var config = new Option<string?>("--config", "-c") { Description = "JSON settings file (env SWITCHYARD_CONFIG)" };
        var durability = new Option<string?>("--durability") { Description = "fsync (default: every acknowledged write is synced) or process" };
        var types = new Option<string?>("--types") { Description = "Task types file (YAML or JSON) registered at start (setting TaskTypes:File)", HelpName = "FILE" };
        var store = StoreOptions.Store();
        var postgres = StoreOptions.Postgres();
        var schema = StoreOptions.Schema();
        var command = new Command("serve", "Run the Switchyard server (embedded SQLite store, or PostgreSQL with --store postgres).")
        {
            port, host, data, config, durability, store, postgres, schema, types,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var overrides = new Dictionary<string, string?>
            {
                ["Server:Port"] = parse.GetValue(port)?.ToString(CultureInfo.InvariantCulture),
                ["Server:Host"] = parse.GetValue(host),
                ["Server:DataDirectory"] = parse.GetValue(data),
                ["Sqlite:Durability"] = parse.GetValue(durability),
                ["Postgres:Durability"] = parse.GetValue(durability),
                ["Server:Store"] = parse.GetValue(store),
                ["Postgres:ConnectionString"] = parse.GetValue(postgres),
                ["Postgres:Schema"] = parse.GetValue(schema),
                ["Config"] = parse.GetValue(config),
                ["TaskTypes:File"] = parse.GetValue(types),
            };
            try
            {
                await SwitchyardServer.RunAsync(overrides, cancellationToken);
                return 0;
            }
            catch (InvalidOperationException ex)
            {
                await Console.Error.WriteLineAsync($"switchyard: {SettingErrors.Describe(ex)}");
                return 2;
            }
        });
        return command;
    }
}
